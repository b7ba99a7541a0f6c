/* eslint-disable @typescript-eslint/no-deprecated -- hono marks `hono/aws-lambda` as moving to
   `@hono/aws-lambda` in v5, but that package is not published on npm yet; switch when it is. */
import { Hono } from 'hono';
import { handle, type APIGatewayProxyResult, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import type { ApiBindings, ApiEnv } from './app-env.js';

/** An API Gateway HTTP API (payload format 2.0) event. */
export type HttpApiEvent = Extract<LambdaEvent, { rawPath: string }>;
export type HttpApiResult = APIGatewayProxyResult;
export type { LambdaContext };

export type LambdaHttpHandler = (event: HttpApiEvent, context?: LambdaContext) => Promise<HttpApiResult>;

/** What hono's Lambda adapter passes as the environment of each request. */
interface LambdaBindings {
  readonly requestContext: { readonly http?: { readonly sourceIp?: string }; readonly identity?: { readonly sourceIp?: string } };
}

/**
 * Runs the same app under AWS Lambda behind an API Gateway HTTP API (payload v2). A thin outer
 * app turns the Lambda environment into the runtime-neutral bindings of the core: the client
 * address API Gateway saw (`requestContext.http.sourceIp`), as the Node server passes its socket's.
 */
export function createLambdaHandler(app: Hono<ApiEnv>): LambdaHttpHandler {
  const adapter = new Hono<{ Bindings: LambdaBindings }>();
  adapter.all('*', (c) => {
    const context = c.env.requestContext;
    const bindings: ApiBindings = { remoteAddress: context.http?.sourceIp ?? context.identity?.sourceIp };
    return app.fetch(c.req.raw, bindings);
  });
  const handler = handle(adapter);
  return (event, context) => handler(event, context);
}
