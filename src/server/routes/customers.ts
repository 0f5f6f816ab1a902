/**
 * /api/v1/customers: CRUD, lookup by number, purchases, interactions and CSV import.
 * The model counts time in epoch milliseconds; the API speaks ISO 8601: converted here.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { importCustomersCsv } from '../../customers/csv-import.js';
import type { CustomerDirectory } from '../../customers/directory.js';
import type { CustomerCard as Card } from '../../model/customer.js';
import type { NormalisedNumber } from '../../model/number.js';
import {
  bearer,
  CsvBody,
  type CustomerCard,
  CustomerInput,
  CustomerPage,
  CustomerRef,
  commonErrors,
  errorResponse,
  IdParams,
  ImportReport,
  InteractionInput,
  ListQuery,
  LookupQuery,
  LookupResult,
  PurchaseInput,
} from '../schemas.js';

export interface CustomerRoutesOptions {
  directory: CustomerDirectory;
  normalise: (raw: string) => NormalisedNumber;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function toApiCard(c: Card): CustomerCard {
  return {
    ...c,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    recentPurchases: c.recentPurchases.map((p) => ({ ...p, purchasedAt: iso(p.purchasedAt) })),
    recentInteractions: c.recentInteractions.map((i) => ({ ...i, at: iso(i.at) })),
  };
}

const tags = ['customers'];
const withErrors = <R extends object>(r: R) => ({ ...commonErrors, ...r });
const notFound = { 404: errorResponse };

export const customerRoutes: FastifyPluginAsyncTypebox<CustomerRoutesOptions> = async (app, opts) => {
  const { directory: dir, normalise } = opts;
  const location = (id: string) => `${app.prefix}/customers/${id}`;

  app.post(
    '/customers',
    {
      schema: {
        tags,
        summary: 'Create a customer',
        security: bearer,
        body: CustomerInput,
        response: withErrors({ 201: CustomerRef, 409: errorResponse }),
      },
    },
    async (request, reply) => {
      const card = await dir.create(request.body);
      return reply.code(201).header('location', location(card.id)).send(toApiCard(card));
    },
  );

  app.get(
    '/customers',
    {
      schema: {
        tags,
        summary: 'List customers, one page at a time (keyset on id)',
        security: bearer,
        querystring: ListQuery,
        response: withErrors({ 200: CustomerPage }),
      },
    },
    async (request) => {
      const page = await dir.list(request.query.after, request.query.limit ?? 50);
      return { items: page.items.map(toApiCard), next: page.next ?? null };
    },
  );

  app.get(
    '/customers/lookup',
    {
      schema: {
        tags,
        summary: 'Find the customer calling from a number (any format)',
        security: bearer,
        querystring: LookupQuery,
        response: withErrors({ 200: LookupResult }),
      },
    },
    async (request) => {
      const number = normalise(request.query.number);
      const found = await dir.lookupNumber(number);
      return {
        number,
        customer: found.customer ? toApiCard(found.customer) : null,
        matches: found.matches,
      };
    },
  );

  app.get(
    '/customers/:id',
    {
      schema: {
        tags,
        summary: 'Read a customer',
        security: bearer,
        params: IdParams,
        response: withErrors({ 200: CustomerRef, ...notFound }),
      },
    },
    async (request) => toApiCard(await dir.get(request.params.id)),
  );

  app.put(
    '/customers/:id',
    {
      schema: {
        tags,
        summary: 'Replace a customer (fields and numbers)',
        security: bearer,
        params: IdParams,
        body: CustomerInput,
        response: withErrors({ 200: CustomerRef, ...notFound, 409: errorResponse }),
      },
    },
    async (request) => toApiCard(await dir.update(request.params.id, request.body)),
  );

  app.delete(
    '/customers/:id',
    {
      schema: {
        tags,
        summary: 'Delete a customer with their purchases and interactions',
        security: bearer,
        params: IdParams,
        response: withErrors({ 204: { type: 'null', description: 'Deleted.' }, ...notFound }),
      },
    },
    async (request, reply) => {
      await dir.delete(request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/customers/:id/purchases',
    {
      schema: {
        tags,
        summary: 'Record a purchase; answers the updated customer',
        security: bearer,
        params: IdParams,
        body: PurchaseInput,
        response: withErrors({ 201: CustomerRef, ...notFound }),
      },
    },
    async (request, reply) => {
      const { purchasedAt, ...rest } = request.body;
      const card = await dir.addPurchase(request.params.id, {
        ...rest,
        purchasedAt: Date.parse(purchasedAt),
      });
      return reply.code(201).send(toApiCard(card));
    },
  );

  app.post(
    '/customers/:id/interactions',
    {
      schema: {
        tags,
        summary: 'Record an interaction; answers the updated customer',
        security: bearer,
        params: IdParams,
        body: InteractionInput,
        response: withErrors({ 201: CustomerRef, ...notFound }),
      },
    },
    async (request, reply) => {
      const { at, ...rest } = request.body;
      const card = await dir.addInteraction(request.params.id, { ...rest, at: Date.parse(at) });
      return reply.code(201).send(toApiCard(card));
    },
  );

  app.post(
    '/customers/import',
    {
      schema: {
        tags,
        summary: 'Import customers from CSV (upsert by id); bad lines are reported, not fatal',
        security: bearer,
        consumes: ['text/csv'],
        body: CsvBody,
        response: withErrors({ 200: ImportReport, 413: errorResponse, 415: errorResponse }),
      },
    },
    async (request) => importCustomersCsv(Readable.from([request.body]), dir),
  );
};
