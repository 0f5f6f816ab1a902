/**
 * XML namespaces of the CSTA editions Relais speaks. The codec matches on local names, so these
 * only matter when encoding (and to report which edition a peer used).
 */

/** ECMA-323 namespaces by edition (ECMA-323 §6: one target namespace per edition). */
export const CSTA_NAMESPACES = {
  ed2: 'http://www.ecma.ch/standards/ecma-323/csta/ed2',
  ed3: 'http://www.ecma-international.org/standards/ecma-323/csta/ed3',
  ed4: 'http://www.ecma-international.org/standards/ecma-323/csta/ed4',
  ed5: 'http://www.ecma-international.org/standards/ecma-323/csta/ed5',
  ed6: 'http://www.ecma-international.org/standards/ecma-323/csta/ed6',
} as const;

export type CstaEdition = keyof typeof CSTA_NAMESPACES;

/** Edition 3 is what most switches in the field (Unify, Alcatel, Avaya AES) accept. */
export const DEFAULT_CSTA_NAMESPACE: string = CSTA_NAMESPACES.ed3;

/** ECMA-354 application session services (StartApplicationSession…). */
export const APPL_SESSION_NAMESPACE = 'http://www.ecma-international.org/standards/ecma-354/appl_session';
