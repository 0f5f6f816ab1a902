/**
 * The distributor alone, in process: how fast a call gets an agent among 500, and how fast a
 * freed agent gets the best of thousands of waiting calls. No I/O; a manual clock moves 5 ms per
 * operation, so waiting calls age and cross the ageing bound as they would.
 *
 *   npx tsx bench/acd.ts                              # 500 agents, 5,000 waiting calls
 *   npx tsx bench/acd.ts --agents 2000 --waiting 20000 --ops 200000
 */
import { parseArgs } from 'node:util';
import { type AgentDef, type Clock, Distributor, type QueueDef } from '../src/acd/distributor.js';
import { createRng, pick, randomInt } from './lib/rng.js';
import { latencyStats } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '500' },
    queues: { type: 'string', default: '10' },
    waiting: { type: 'string', default: '5000' },
    ops: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '42' },
  },
});
const agentCount = Number(values.agents);
const queueCount = Number(values.queues);
const waitingTarget = Number(values.waiting);
const ops = Number(values.ops);
const rng = createRng(Number(values.seed));

const SKILLS = ['support', 'sales', 'billing', 'tech', 'retention'];
/** Timers are not needed here (no overflow, no preferred wait, no wrap-up): a clock that only counts. */
const clock: Clock & { t: number } = { t: 1_700_000_000_000, now: () => clock.t, setTimer: () => () => {} };
const queues: QueueDef[] = Array.from({ length: queueCount }, (_, i) => ({
  id: `q${i}`,
  device: `${3000 + i}`,
  skills: [SKILLS[i % SKILLS.length] as string],
}));
const agents: AgentDef[] = Array.from({ length: agentCount }, (_, i) => {
  const skills: Record<string, number> = {
    [SKILLS[i % 5] as string]: 1 + randomInt(rng, 9),
    [SKILLS[(i + 2) % 5] as string]: 1 + randomInt(rng, 9),
  };
  if (i % 10 === 0) skills.senior = 1 + randomInt(rng, 9);
  return { id: `a${i}`, device: `${40000 + i}`, skills };
});
const d = new Distributor({
  queues,
  agents,
  settings: { ageing: { pointsPerSecond: 1, maxWaitSeconds: 120 }, preferredAgentWaitSeconds: 0 },
  clock,
});
for (const a of agents) {
  clock.t += 1;
  d.login(a.id);
}

let n = 0;
const newCall = () => ({
  callId: `c${n++}`,
  queue: pick(rng, queues).id,
  priority: rng() < 0.1 ? 100 : 0,
  skills: rng() < 0.05 ? ['senior'] : [],
  preferredAgent: rng() < 0.2 ? `a${randomInt(rng, agentCount)}` : undefined,
});
const us = (ns: bigint) => Number(ns) / 1000;
const fmt = (x: number) => x.toFixed(2).padStart(8);
const report = (name: string, samples: Float64Array, ms: number) => {
  const s = latencyStats(samples);
  const rate = Math.round((samples.length * 1000) / ms).toLocaleString('en-US');
  console.log(
    `${name.padEnd(34)} ${rate.padStart(10)}/s  p50 ${fmt(s.p50)} µs  p99 ${fmt(s.p99)} µs  max ${fmt(s.max)} µs`,
  );
};

// 1. Agents free: every offer selects and reserves one of the 500 at once; its release frees them.
{
  const samples = new Float64Array(ops);
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) {
    clock.t += 5;
    const call = newCall();
    const t0 = process.hrtime.bigint();
    const r = d.offer(call);
    samples[i] = us(process.hrtime.bigint() - t0);
    if (r.kind === 'assigned') d.release(call.callId);
    else d.remove(call.callId);
  }
  report('offer, agents free (selection)', samples, Number(process.hrtime.bigint() - start) / 1e6);
}

/** A call for this agent alone: one of their queues, no extra skill, them preferred (and free). */
const callFor = (a: AgentDef) => {
  const queue = queues.find((q) => a.skills[q.skills[0] as string] !== undefined) as QueueDef;
  const call = { ...newCall(), queue: queue.id, skills: [], preferredAgent: a.id };
  d.offer(call);
  return call.callId;
};

// 2. Every agent busy and `waiting` calls in line: offers queue (their position is counted).
for (const a of agents) callFor(a);
{
  const samples = new Float64Array(waitingTarget);
  const start = process.hrtime.bigint();
  for (let i = 0; i < waitingTarget; i++) {
    clock.t += 5;
    const t0 = process.hrtime.bigint();
    d.offer(newCall());
    samples[i] = us(process.hrtime.bigint() - t0);
  }
  report(
    `offer, queued (up to ${waitingTarget} waiting)`,
    samples,
    Number(process.hrtime.bigint() - start) / 1e6,
  );
}

// 3. Steady state: an agent's call ends, they take the best waiting call at once; a new call queues.
{
  const frees = new Float64Array(ops);
  const offers = new Float64Array(ops);
  const busy = d.agents().flatMap((a) => (a.callId === undefined ? [] : [a.callId]));
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) {
    clock.t += 5;
    const j = randomInt(rng, busy.length);
    const t0 = process.hrtime.bigint();
    d.release(busy[j] as string);
    frees[i] = us(process.hrtime.bigint() - t0);
    // The freed agent found nothing they could take: keep them busy with a call of their own.
    busy[j] = d.agent(`a${j}`)?.callId ?? callFor(agents[j] as AgentDef);
    const t1 = process.hrtime.bigint();
    d.offer(newCall());
    offers[i] = us(process.hrtime.bigint() - t1);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const stats = d.stats();
  const waiting = stats.queues.reduce((s, q) => s + q.waiting, 0);
  report(`release → next call (${waiting} waiting)`, frees, ms);
  report('offer, queued (steady state)', offers, ms);
  const longest = Math.max(...stats.queues.map((q) => q.longestWaitMs));
  console.log(
    `${agentCount} agents, ${queueCount} queues; longest wait at the end ${Math.round(longest / 1000)} s`,
  );
}
