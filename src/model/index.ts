export type * from './call.js';
export type * from './customer.js';
export * from './number.js';
