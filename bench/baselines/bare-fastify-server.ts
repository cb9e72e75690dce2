// B3: bare Fastify answering 202 to the same bodies (parsed as JSON), nothing else. Run as a child process.
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024 });
app.post('/v1/advices', async (_request, reply) => reply.code(202).send({ status: 'accepted' }));
app.post('/v1/advice-batches', async (_request, reply) => reply.code(200).send({ accepted: 0 }));
await app.listen({ port: Number(process.env['PORT']), host: '127.0.0.1' });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
