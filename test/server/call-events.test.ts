import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, type Harness, startHarness } from './harness.js';

describe('HTTP server: POST /api/v1/call-events (the HTTP link)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('hands valid events to the tracker in order, with defaults for link and time', async () => {
    const before = Date.now();
    const res = await h.inject({
      method: 'POST',
      url: '/api/v1/call-events',
      headers: AUTH,
      payload: {
        events: [
          {
            type: 'offered',
            callId: 'h1',
            ani: '0612345678',
            dnis: '0800123456',
            at: 1000,
            link: 'cloud-pbx',
          },
          { type: 'connected', callId: 'h1', device: '2001', agentId: 'a1' },
          { type: 'cleared', callId: 'h1', eventId: 'e-3' },
        ],
      },
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 3 });
    expect(h.ingested.map((e) => e.type)).toEqual(['offered', 'connected', 'cleared']);
    expect(h.ingested[0]).toMatchObject({ link: 'cloud-pbx', at: 1000, ani: '0612345678' });
    expect(h.ingested[1]?.link).toBe('http');
    expect(h.ingested[1]?.at).toBeGreaterThanOrEqual(before);
  });

  it('refuses a malformed batch whole, naming the field, and ingests nothing of it', async () => {
    h.ingested.length = 0;
    for (const events of [
      [{ type: 'offered', callId: 'h2', ani: '0612345678' }], // no dnis
      [{ type: 'ringing', callId: 'h2' }], // unknown type
      [{ type: 'cleared', callId: 'h2', colour: 'red' }], // extra property
      [
        { type: 'connected', callId: 'h2', device: '2001' },
        { type: 'queued', callId: 'h2', queue: 7 },
      ],
      [],
    ]) {
      const res = await h.inject({
        method: 'POST',
        url: '/api/v1/call-events',
        headers: AUTH,
        payload: { events },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('RELAIS_ERR_VALIDATION');
    }
    expect(h.ingested).toEqual([]);
  });
});
