/** The transport layer's public surface: how links reach or accept their peers. */
export { type Backoff, type BackoffOptions, exponentialBackoff } from './backoff.js';
export {
  type Connector,
  failoverConnector,
  type Pem,
  type TcpConnectorOptions,
  type TlsConnectorOptions,
  tcpConnector,
  tlsConnector,
} from './connector.js';
export { isTransportError, TransportError, type TransportErrorKind } from './errors.js';
export { type Listener, type ListenOptions, type ListenTlsOptions, listen } from './listener.js';
export { readTlsFiles, type TlsFilePaths, type TlsFiles } from './tls-files.js';
