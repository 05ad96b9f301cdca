import { z } from 'zod';
import { documentedRoutes, type RouteSpec } from './route.js';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>) {
  const list: unknown[] = [];
  for (const [location, schema] of [['path', spec.params], ['query', spec.query]] as const) {
    if (!(schema instanceof z.ZodObject)) continue;
    for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      list.push({ name, in: location, required: location === 'path' || !field.safeParse(undefined).success, schema: jsonSchema(field, 'input') });
    }
  }
  return list;
}

const SECURITY: Record<string, unknown[]> = {
  public: [],
  stripe: [],
  read: [{ apiKey: [] }],
  admin: [{ apiKey: [] }],
};

/** The OpenAPI 3.1 document, built from the same route declarations that validate requests. */
export function buildOpenApiDocument(serverUrl: string): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of documentedRoutes()) {
    const path = spec.path.replace(/:(\w+)/g, '{$1}');
    const bodyTypes = spec.bodyTypes ?? ['application/json'];
    paths[path] ??= {};
    paths[path][spec.method] = {
      summary: spec.summary,
      tags: spec.tags,
      security: SECURITY[spec.access],
      'x-required-scope': spec.access === 'read' || spec.access === 'admin' ? spec.access : undefined,
      parameters: parameters(spec),
      requestBody: spec.body
        ? { required: true, content: Object.fromEntries(bodyTypes.map((type) => [type, { schema: jsonSchema(spec.body!, 'input') }])) }
        : undefined,
      responses: Object.fromEntries(
        Object.entries(spec.responses).map(([status, doc]) => [
          status,
          {
            description: doc.description,
            ...(doc.schema && { content: { [doc.contentType ?? 'application/json']: { schema: jsonSchema(doc.schema, 'output') } } }),
          },
        ]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Goalpost',
      version: '0.1.0',
      description: 'Donation campaigns with monthly goal tiers, Stripe Checkout, a ledger, receipts and consumer webhooks.',
    },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'Goalpost API key (read or admin scope)' } } },
    paths,
  };
}
