// The OpenTelemetry SDK, installed only when something exports (decision 0108): an OTLP/HTTP endpoint
// (OTEL_EXPORTER_OTLP_ENDPOINT), or a test's in-memory exporter. Without either, no provider, no context manager
// and no instrumentation exist, and the helpers in tracing.ts are plain calls.
//
// Instrumentations are applied to the module objects, not through load hooks: the service is ESM run by type
// stripping, where require hooks never see `import pg`, and an --import loader would have to be in every way the
// process starts (npm start, bin/, the harness, vitest's forks). Patching pg's Client and Pool prototypes works
// whenever it happens, as long as it is before the first query.
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import type { FastifyPluginCallback } from 'fastify';
import pg from 'pg';
import { API_VERSION } from '../version.ts';
import { setTracingOn } from './tracing.ts';

export interface TracingSettings {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL; spans go to `<endpoint>/v1/traces`. */
  otlpEndpoint?: string | undefined;
  serviceName?: string | undefined;
  /** A test's exporter (InMemorySpanExporter): every span is handed over as it ends. */
  exporter?: SpanExporter | undefined;
}

export interface Tracing {
  /** Exports what is still buffered and stops. */
  shutdown(): Promise<void>;
  forceFlush(): Promise<void>;
}

let installed: { provider: NodeTracerProvider; fastify: FastifyOtelInstrumentation } | undefined;

/** Installs the SDK once for the process; undefined when nothing would export. */
export function startTracing(settings: TracingSettings): Tracing | undefined {
  const exporter = settings.exporter ?? (settings.otlpEndpoint ? new OTLPTraceExporter({ url: tracesUrl(settings.otlpEndpoint) }) : undefined);
  if (!exporter) return undefined;
  if (installed) throw new Error('tracing is already started in this process');
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName ?? 'gcos-zsm-bridge', 'service.version': API_VERSION }),
    // The standard allows no sampling of these records (Log Sampling is niet toegestaan): every span is recorded,
    // also when a caller's traceparent says "not sampled".
    sampler: new AlwaysOnSampler(),
    spanProcessors: [settings.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  // The global provider, the AsyncLocalStorage context manager and the W3C Trace Context propagator.
  provider.register();
  const pgInstrumentation = new PgInstrumentation({
    enabled: false, // no require hook: the prototypes are patched below
    // Only queries inside a traced piece of work: the relay's and the jobs' polls would each start a trace.
    requireParentSpan: true,
    // Never the parameters: they hold the records, and so BSNs (db.statement stays the text with $n placeholders).
    enhancedDatabaseReporting: false,
  });
  pgInstrumentation.setTracerProvider(provider);
  for (const definition of pgInstrumentation.getModuleDefinitions()) {
    if (definition.name === 'pg') definition.patch?.(pg);
    if (definition.name === 'pg-pool') definition.patch?.(pg.Pool);
  }
  const fastify = new FastifyOtelInstrumentation({
    // A hook's span each for a dozen request hooks would outnumber the work; the request and handler spans stay.
    instrumentHooks: false,
    // No handler span: it would take a refusal's message as an Error status (src/http/tracing.ts runs the handler
    // in the request's context instead).
    instrumentHandler: false,
    // An exception event holds the error's message and stack, which may quote the input.
    recordExceptions: false,
    ignorePaths: (route: { url: string }) => route.url.startsWith('/health/') || route.url === '/metrics',
  });
  fastify.setTracerProvider(provider);
  installed = { provider, fastify };
  setTracingOn(true);
  return {
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      setTracingOn(false);
      await provider.shutdown();
    },
  };
}

/** Exports what is buffered (at shutdown); nothing to do when tracing is off. */
export async function flushTracing(): Promise<void> {
  await installed?.provider.forceFlush();
}

/** The Fastify plugin of the installed SDK, to register before any route; undefined when tracing is off. */
export function fastifyTracingPlugin(): FastifyPluginCallback | undefined {
  return installed?.fastify.plugin();
}

function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}
