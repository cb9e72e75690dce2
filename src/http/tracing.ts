// Request spans (@fastify/otel) when tracing is on: the caller's W3C traceparent is taken, or a trace started. Two
// corrections to the plugin's defaults, for the Logboek Dataverwerkingen standard (decision 0108):
// - a refused request (4xx) is a processing that went as it should: its span is OK, not an Error (the plugin marks
//   every thrown error); a 5xx stays an Error;
// - no handler span (it would take the error's message as its status), yet the handler runs in the request's
//   context, so that the spine's spans are its children even when the body arrived in later socket events.
import { context, SpanStatusCode } from '@opentelemetry/api';
import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import { fastifyTracingPlugin } from '../observability/tracing-sdk.ts';

export async function installTracing(fastify: FastifyInstance): Promise<void> {
  const plugin = fastifyTracingPlugin();
  if (!plugin) return;
  await fastify.register(plugin);
  fastify.addHook('onRoute', (route) => {
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function tracedHandler(request, reply) {
      const ctx = request.opentelemetry().context;
      return ctx ? context.with(ctx, () => handler.call(this, request, reply)) : handler.call(this, request, reply);
    };
  });
  fastify.addHook('onError', async (request, reply) => {
    if (reply.statusCode < 500) request.opentelemetry().span?.setStatus({ code: SpanStatusCode.OK });
  });
}
