/** The parts of an OpenAPI 3.1 document the route-level tests read. */
export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly minLength?: number;
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly pattern?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly items?: JsonSchema;
}

export interface DocumentedParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: JsonSchema;
}

export interface DocumentedOperation {
  readonly security?: Record<string, string[]>[];
  readonly 'x-session-stage'?: 'password' | 'mfa_complete';
  readonly parameters?: readonly DocumentedParameter[];
  readonly requestBody?: { readonly content?: Readonly<Record<string, { readonly schema?: JsonSchema }>> };
}

export interface DocumentedRoute {
  readonly method: string;
  readonly path: string;
  readonly operation: DocumentedOperation;
}

export interface ApiDocument {
  readonly routes: readonly DocumentedRoute[];
  /** Follows `#/components/schemas/...` references until a concrete schema. */
  resolve(schema: JsonSchema): JsonSchema;
}

const httpMethods = ['get', 'put', 'post', 'delete', 'patch'];

/** Every operation the running server documents, read from its own /api/v1/openapi.json. */
export async function fetchApiDocument(serverUrl: string): Promise<ApiDocument> {
  const document = (await (await fetch(`${serverUrl}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, DocumentedOperation>>;
    components?: { schemas?: Record<string, JsonSchema> };
  };
  const routes = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => httpMethods.includes(method))
      .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
  const schemas = document.components?.schemas ?? {};
  const resolve = (schema: JsonSchema): JsonSchema => {
    let current = schema;
    while (current.$ref !== undefined) {
      const name = current.$ref.replace('#/components/schemas/', '');
      const target = schemas[name];
      if (target === undefined) throw new Error(`unresolved schema reference ${current.$ref}`);
      current = target;
    }
    return current;
  };
  return { routes, resolve };
}

/** The JSON request body schema of an operation, if it takes one. */
export function jsonBodySchema(document: ApiDocument, operation: DocumentedOperation): JsonSchema | undefined {
  const schema = operation.requestBody?.content?.['application/json']?.schema;
  return schema === undefined ? undefined : document.resolve(schema);
}
