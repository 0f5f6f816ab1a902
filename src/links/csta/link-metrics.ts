/** Prometheus metrics of the PBX links, labelled by link name (never by number or call). */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface LinkMetrics {
  up: Gauge<'link'>;
  connects: Counter<'link'>;
  disconnects: Counter<'link'>;
  messages: Counter<'link' | 'direction' | 'type'>;
  problems: Counter<'link' | 'kind' | 'code'>;
  routeRequests: Counter<'link' | 'result'>;
  routeDecisionSeconds: Histogram<'link'>;
}

export function createLinkMetrics(registry: Registry): LinkMetrics {
  const registers = [registry];
  return {
    up: new Gauge({
      name: 'relais_link_up',
      help: '1 when the link is connected and set up.',
      labelNames: ['link'],
      registers,
    }),
    connects: new Counter({
      name: 'relais_link_connects_total',
      help: 'Connections established with the PBX.',
      labelNames: ['link'],
      registers,
    }),
    disconnects: new Counter({
      name: 'relais_link_disconnects_total',
      help: 'Connections with the PBX that ended.',
      labelNames: ['link'],
      registers,
    }),
    messages: new Counter({
      name: 'relais_link_messages_total',
      help: 'Protocol messages by direction and type.',
      labelNames: ['link', 'direction', 'type'],
      registers,
    }),
    problems: new Counter({
      name: 'relais_link_problems_total',
      help: 'Bad frames, bad documents, unanswered requests and other protocol problems.',
      labelNames: ['link', 'kind', 'code'],
      registers,
    }),
    routeRequests: new Counter({
      name: 'relais_route_requests_total',
      help: 'Routing requests from the PBX by result (selected, fallback, ended).',
      labelNames: ['link', 'result'],
      registers,
    }),
    routeDecisionSeconds: new Histogram({
      name: 'relais_route_response_seconds',
      help: 'From the PBX routing request received to the answer sent.',
      labelNames: ['link'],
      buckets: [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
      registers,
    }),
  };
}
