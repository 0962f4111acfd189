// Phase (c)'s HTTP floor: the least an HTTP hop in front of the same SQL can cost on this machine.
// node:http, one pool like the API's (db/client.ts: 10 connections, statements prepared alike),
// no framework, no validation, no mapping: a request runs one set of the statements the API's
// list function sends and answers the last one's rows as JSON. The bench loads the sets of a
// scenario with PUT /sets, then sends GET /run/<i>. A child process of the bench, as the API is.
import { createServer } from 'node:http';
import type postgres from 'postgres';
import { connectDb } from '../db/client';
import { readBody } from '../scripts/lib/loopback-server';

interface Statement { query: string; params: unknown[] }

const handle = connectDb(process.env.DATABASE_URL ?? '', { max: 10 });
let sets: Statement[][] = [];

async function run(index: number): Promise<string> {
  let rows: unknown[] = [];
  for (const { query, params } of sets[index % sets.length] ?? []) {
    rows = await handle.sql.unsafe(query, params as postgres.ParameterOrJSON<never>[]);
  }
  return JSON.stringify({ items: rows, nextCursor: null });
}

const server = createServer((request, response) => {
  const answer = (status: number, body: string) => {
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  };
  const url = request.url ?? '';
  const work = request.method === 'PUT' && url === '/sets'
    ? readBody(request).then((body) => { sets = JSON.parse(body) as Statement[][]; return '{}'; })
    : url.startsWith('/run/') ? run(Number(url.slice(5))) : url === '/healthz' ? Promise.resolve('{}') : Promise.reject(new Error(`no route ${url}`));
  work.then((body) => answer(200, body), (error: unknown) => answer(500, JSON.stringify({ error: String(error) })));
});
server.listen(Number(process.env.PORT), '127.0.0.1');
const stop = () => server.close(() => void handle.close().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
