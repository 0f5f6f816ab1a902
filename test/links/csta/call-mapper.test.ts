import { describe, expect, it } from 'vitest';
import { CallMapper, type DeviceKind } from '../../../src/links/csta/call-mapper.js';
import type { CstaEvent, DeviceRef } from '../../../src/links/csta/messages.js';
import type { CallEvent } from '../../../src/model/call.js';

const dev = (id: string): DeviceRef => ({ id });
const kinds = new Map<string, DeviceKind>([
  ['3001', 'acd'],
  ['3900', 'routePoint'],
  ['2001', 'agent'],
  ['2002', 'agent'],
]);

function mapper() {
  return new CallMapper({ link: 'pbx', deviceKinds: kinds });
}

const caller = { callingDevice: dev('0612345678'), calledDevice: dev('0800123456') };
const ev = (e: Partial<CstaEvent> & Pick<CstaEvent, 'name'>): CstaEvent => ({ monitorCrossRefId: '1', ...e });
const types = (out: CallEvent[]) => out.map((e) => e.type);

describe('CSTA events → call events', () => {
  it('follows an inbound call through the ACD to an agent, answered then cleared by the agent', () => {
    const m = mapper();
    let t = 1000;
    const all: CallEvent[] = [];
    const feed = (e: CstaEvent) => all.push(...m.map(e, t++));
    feed(
      ev({
        name: 'Delivered',
        connection: { callId: 'C1', deviceId: '3001' },
        subjectDevice: dev('3001'),
        ...caller,
      }),
    );
    feed(
      ev({
        name: 'Queued',
        connection: { callId: 'C1', deviceId: '3001' },
        subjectDevice: dev('3001'),
        ...caller,
      }),
    );
    feed(
      ev({
        name: 'Delivered',
        connection: { callId: 'C1', deviceId: '2001' },
        subjectDevice: dev('2001'),
        ...caller,
      }),
    );
    feed(
      ev({
        name: 'Established',
        connection: { callId: 'C1', deviceId: '2001' },
        subjectDevice: dev('2001'),
        ...caller,
      }),
    );
    feed(ev({ name: 'Held', connection: { callId: 'C1', deviceId: '2001' }, subjectDevice: dev('2001') }));
    feed(
      ev({ name: 'Retrieved', connection: { callId: 'C1', deviceId: '2001' }, subjectDevice: dev('2001') }),
    );
    feed(
      ev({
        name: 'ConnectionCleared',
        connection: { callId: 'C1', deviceId: '2001' },
        subjectDevice: dev('2001'),
        cause: 'normalClearing',
      }),
    );
    expect(types(all)).toEqual([
      'offered',
      'queued',
      'alerting',
      'connected',
      'held',
      'retrieved',
      'cleared',
    ]);
    expect(all[0]).toMatchObject({
      callId: 'C1',
      link: 'pbx',
      ani: '0612345678',
      dnis: '0800123456',
      device: '3001',
      at: 1000,
    });
    expect(all[1]).toMatchObject({ queue: '3001' });
    expect(all[2]).toMatchObject({ device: '2001' });
    expect(m.size).toBe(0);
  });

  it('prefers the network devices, stable across transfers, for ANI and DNIS', () => {
    const out = mapper().map(
      ev({
        name: 'Delivered',
        connection: { callId: 'C2', deviceId: '2001' },
        subjectDevice: dev('2001'),
        callingDevice: dev('2002'),
        calledDevice: dev('2001'),
        networkCallingDevice: dev('N<+33612345678>;displayNumber=Camille'),
        networkCalledDevice: dev('+33800123456'),
      }),
      1,
    );
    expect(out[0]).toMatchObject({
      type: 'offered',
      ani: '+33612345678',
      aniName: 'Camille',
      dnis: '+33800123456',
    });
  });

  it('hands a withheld caller to the normaliser as restricted', () => {
    const out = mapper().map(
      ev({
        name: 'Delivered',
        connection: { callId: 'C3' },
        subjectDevice: dev('3001'),
        callingDevice: { choice: 'restricted' },
        calledDevice: dev('0800123456'),
      }),
      1,
    );
    expect(out[0]).toMatchObject({ type: 'offered', ani: 'restricted' });
  });

  it('reports an event seen by two monitors (ACD group and agent) once', () => {
    const m = mapper();
    const e = ev({
      name: 'Established',
      connection: { callId: 'C4', deviceId: '2001' },
      subjectDevice: dev('2001'),
      ...caller,
    });
    expect(types(m.map(e, 10))).toEqual(['offered', 'connected']);
    expect(m.map({ ...e, monitorCrossRefId: '2' }, 12)).toEqual([]);
  });

  it('abandoned in the queue: the caller leaving ends the call', () => {
    const m = mapper();
    m.map(ev({ name: 'Delivered', connection: { callId: 'C5' }, subjectDevice: dev('3001'), ...caller }), 1);
    m.map(ev({ name: 'Queued', connection: { callId: 'C5' }, subjectDevice: dev('3001'), ...caller }), 2);
    const out = m.map(
      ev({
        name: 'ConnectionCleared',
        connection: { callId: 'C5' },
        subjectDevice: dev('0612345678'),
        cause: 'callCancelled',
      }),
      3,
    );
    expect(out).toEqual([{ type: 'cleared', callId: 'C5', link: 'pbx', at: 3, cause: 'callCancelled' }]);
  });

  it('a route point or ACD group letting the call go is not the end of the call', () => {
    const m = mapper();
    m.map(ev({ name: 'Delivered', connection: { callId: 'C6' }, subjectDevice: dev('3900'), ...caller }), 1);
    expect(
      m.map(ev({ name: 'ConnectionCleared', connection: { callId: 'C6' }, subjectDevice: dev('3900') }), 2),
    ).toEqual([]);
    expect(
      types(
        m.map(
          ev({ name: 'Delivered', connection: { callId: 'C6' }, subjectDevice: dev('2001'), ...caller }),
          3,
        ),
      ),
    ).toEqual(['alerting']);
  });

  it('follows a transfer to the new call id and ignores the transferring agent leaving', () => {
    const m = mapper();
    m.map(
      ev({
        name: 'Established',
        connection: { callId: 'C7', deviceId: '2001' },
        subjectDevice: dev('2001'),
        ...caller,
      }),
      1,
    );
    const t = m.map(
      ev({
        name: 'Transfered',
        primaryOldCall: { callId: 'C7', deviceId: '2001' },
        secondaryOldCall: { callId: 'C8', deviceId: '2001' },
        subjectDevice: dev('2001'),
        transferredToDevice: dev('2002'),
        connectionList: [
          {
            newConnection: { callId: 'C9', deviceId: '2002' },
            oldConnection: { callId: 'C8', deviceId: '2002' },
          },
        ],
      }),
      2,
    );
    expect(t).toEqual([{ type: 'transferred', callId: 'C7', link: 'pbx', at: 2, from: '2001', to: '2002' }]);
    expect(
      m.map(
        ev({
          name: 'ConnectionCleared',
          connection: { callId: 'C9', deviceId: '2001' },
          subjectDevice: dev('2001'),
        }),
        3,
      ),
    ).toEqual([]);
    const end = m.map(
      ev({
        name: 'ConnectionCleared',
        connection: { callId: 'C9', deviceId: '2002' },
        subjectDevice: dev('2002'),
      }),
      4,
    );
    expect(end).toMatchObject([{ type: 'cleared', callId: 'C7' }]);
  });

  it('maps diverted and failed calls, and CallCleared always ends the call', () => {
    const m = mapper();
    m.map(ev({ name: 'Delivered', connection: { callId: 'D1' }, subjectDevice: dev('2001'), ...caller }), 1);
    expect(
      m.map(
        ev({
          name: 'Diverted',
          connection: { callId: 'D1' },
          subjectDevice: dev('2001'),
          newDestination: dev('2002'),
          cause: 'noAnswer',
        }),
        2,
      ),
    ).toEqual([
      { type: 'diverted', callId: 'D1', link: 'pbx', at: 2, from: '2001', to: '2002', reason: 'noAnswer' },
    ]);
    expect(types(m.map(ev({ name: 'CallCleared', connection: { callId: 'D1' } }), 3))).toEqual(['cleared']);
    const f = mapper().map(
      ev({
        name: 'Failed',
        connection: { callId: 'F1' },
        subjectDevice: dev('2002'),
        cause: 'busy',
        ...caller,
      }),
      5,
    );
    expect(types(f)).toEqual(['offered', 'failed']);
    expect(f[1]).toMatchObject({ cause: 'busy' });
  });

  it('ignores events without a call id and outbound-only events', () => {
    const m = mapper();
    expect(m.map(ev({ name: 'Delivered' }), 1)).toEqual([]);
    expect(
      m.map(ev({ name: 'ServiceInitiated', connection: { callId: 'O1', deviceId: '2001' } }), 1),
    ).toEqual([]);
  });

  it('does not take the late events of a call that ended for a new call', () => {
    const m = mapper();
    m.map(
      ev({
        name: 'Established',
        connection: { callId: 'E1', deviceId: '2001' },
        subjectDevice: dev('2001'),
        ...caller,
      }),
      1,
    );
    expect(
      types(
        m.map(ev({ name: 'ConnectionCleared', connection: { callId: 'E1' }, subjectDevice: dev('2001') }), 2),
      ),
    ).toEqual(['cleared']);
    expect(
      m.map(
        ev({ name: 'ConnectionCleared', connection: { callId: 'E1' }, subjectDevice: dev('0612345678') }),
        3,
      ),
    ).toEqual([]);
    expect(m.map(ev({ name: 'CallCleared', connection: { callId: 'E1' } }), 4)).toEqual([]);
    expect(m.map(ev({ name: 'Held', connection: { callId: 'E1' }, subjectDevice: dev('2001') }), 5)).toEqual(
      [],
    );
    expect(m.size).toBe(0);
    // A switch reusing the id much later is a new call.
    expect(
      types(
        m.map(
          ev({ name: 'Delivered', connection: { callId: 'E1' }, subjectDevice: dev('3001'), ...caller }),
          60_000,
        ),
      ),
    ).toEqual(['offered']);
  });

  it('ignores a clear for a call it never followed', () => {
    expect(mapper().map(ev({ name: 'CallCleared', connection: { callId: 'X9' } }), 1)).toEqual([]);
  });

  it('follows an outbound call from Originated: the agent extension calls out', () => {
    const m = mapper();
    const out = m.map(
      ev({
        name: 'Originated',
        connection: { callId: 'O2', deviceId: '2001' },
        subjectDevice: dev('2001'),
        callingDevice: dev('2001'),
        calledDevice: dev('0144556677'),
      }),
      1,
    );
    expect(out).toMatchObject([{ type: 'offered', callId: 'O2', ani: '2001', dnis: '0144556677' }]);
    expect(
      types(
        m.map(
          ev({
            name: 'Established',
            connection: { callId: 'O2', deviceId: '0144556677' },
            subjectDevice: dev('0144556677'),
          }),
          2,
        ),
      ),
    ).toEqual(['connected']);
    expect(
      types(
        m.map(
          ev({
            name: 'ConnectionCleared',
            connection: { callId: 'O2', deviceId: '2001' },
            subjectDevice: dev('2001'),
          }),
          3,
        ),
      ),
    ).toEqual(['cleared']);
  });
});
