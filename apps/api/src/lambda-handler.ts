/* eslint-disable @typescript-eslint/no-deprecated -- hono marks `hono/aws-lambda` as moving to
   `@hono/aws-lambda` in v5, but that package is not published on npm yet; switch when it is. */
import type { Hono } from 'hono';
import { handle, type APIGatewayProxyResult, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import type { ApiEnv } from './app-env.js';

/** An API Gateway HTTP API (payload format 2.0) event. */
export type HttpApiEvent = Extract<LambdaEvent, { rawPath: string }>;
export type HttpApiResult = APIGatewayProxyResult;
export type { LambdaContext };

export type LambdaHttpHandler = (event: HttpApiEvent, context?: LambdaContext) => Promise<HttpApiResult>;

/** Runs the same app under AWS Lambda behind an API Gateway HTTP API (payload v2). */
export function createLambdaHandler(app: Hono<ApiEnv>): LambdaHttpHandler {
  const handler = handle(app);
  return (event, context) => handler(event, context);
}
