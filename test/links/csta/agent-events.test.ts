/** Agent state events (ECMA-269 logical device features) decoded from ECMA-323 documents, any edition. */
import { describe, expect, it } from 'vitest';
import { decodeCsta } from '../../../src/links/csta/codec/index.js';

const doc = (ns: string, body: string) =>
  Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>${body.replace('NS', ns)}`, 'utf8');

describe('agent state events', () => {
  it.each([
    ['ed3', 'http://www.ecma-international.org/standards/ecma-323/csta/ed3'],
    ['none', ''],
  ])('decodes AgentNotReady with device, agent id and cause (namespace %s)', (_n, ns) => {
    const xml = `<AgentNotReadyEvent${ns ? ' xmlns="NS"' : ''}><monitorCrossRefID>17</monitorCrossRefID><agentDevice><deviceIdentifier>4003</deviceIdentifier></agentDevice><agentID>0042</agentID><cause>lunch</cause></AgentNotReadyEvent>`;
    const r = decodeCsta(doc(ns, xml));
    expect(r).toMatchObject({
      ok: true,
      message: {
        type: 'Event',
        event: {
          name: 'AgentNotReady',
          monitorCrossRefId: '17',
          subjectDevice: { id: '4003' },
          agentId: '0042',
          cause: 'lunch',
        },
      },
    });
  });

  it.each(['AgentLoggedOn', 'AgentLoggedOff', 'AgentReady', 'AgentBusy', 'AgentWorkingAfterCall'])(
    'decodes %sEvent',
    (name) => {
      const r = decodeCsta(
        doc(
          '',
          `<${name}Event><monitorCrossRefID>1</monitorCrossRefID><agentDevice><deviceIdentifier>4001</deviceIdentifier></agentDevice></${name}Event>`,
        ),
      );
      expect(r.ok && r.message.type === 'Event' && r.message.event).toMatchObject({
        name,
        subjectDevice: { id: '4001' },
      });
    },
  );
});
