/** Builds a CSTA link from its configuration: TLS material, connector or listener, backoff. */
import type { Logger } from 'pino';
import type { CstaLinkConfig } from '../../config/links.js';
import type { AgentStateReport } from '../../model/agent.js';
import type { CallEvent, Router } from '../../model/call.js';
import {
  type Connector,
  exponentialBackoff,
  failoverConnector,
  type Listener,
  listen,
  readTlsFiles,
  type TlsFiles,
  tcpConnector,
  tlsConnector,
} from '../transport/index.js';
import { CstaLink } from './link.js';
import type { LinkMetrics } from './link-metrics.js';

export interface RunningCstaLink {
  link: CstaLink;
  /** Server mode: where it listens. */
  listener: Listener | undefined;
  stop(): Promise<void>;
}

export interface CstaLinkEnv {
  ingest: (e: CallEvent) => void;
  router: Router;
  logger: Logger;
  metrics: LinkMetrics;
  onAgentState?: (r: AgentStateReport) => void;
}

export async function startCstaLink(config: CstaLinkConfig, env: CstaLinkEnv): Promise<RunningCstaLink> {
  const tls = config.tls ? await readTlsFiles(config.tls) : undefined;
  const backoff = exponentialBackoff({
    initialMs: config.reconnect.initialMs,
    maxMs: config.reconnect.maxMs,
    jitter: true,
  });
  const connector = config.mode === 'client' ? clientConnector(config, tls) : undefined;
  const link = new CstaLink({ config, connector, backoff, ...env });
  let listener: Listener | undefined;
  if (config.mode === 'server' && config.listen) {
    listener = await listen(
      {
        host: config.listen.host,
        port: config.listen.port,
        tls:
          config.tls && tls?.cert && tls.key
            ? { cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: config.tls.requireClientCert }
            : undefined,
        onError: (err) =>
          env.logger.warn({ link: config.name, err: err.message }, 'switch connection refused'),
      },
      (socket) => {
        socket.on('error', () => {}); // the session reports how it ended
        void link.accept(socket, `${socket.remoteAddress}:${socket.remotePort}`);
      },
    );
    env.logger.info({ link: config.name, address: listener.address }, 'waiting for the switch');
  } else {
    link.start();
  }
  return {
    link,
    listener,
    async stop() {
      await listener?.close();
      await link.stop();
    },
  };
}

function clientConnector(config: CstaLinkConfig, tls: TlsFiles | undefined): Connector {
  const targets = [{ host: config.host as string, port: config.port as number }, ...config.standby];
  const connectors = targets.map(({ host, port }) =>
    config.tls
      ? tlsConnector({
          host,
          port,
          connectTimeoutMs: config.connectTimeoutMs,
          ca: tls?.ca,
          cert: tls?.cert,
          key: tls?.key,
          servername: config.tls.servername,
        })
      : tcpConnector({ host, port, connectTimeoutMs: config.connectTimeoutMs }),
  );
  return connectors.length === 1 ? (connectors[0] as Connector) : failoverConnector(connectors);
}
