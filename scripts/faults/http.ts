// The backup services of the fault suite: they retry 503s and network errors as a real client
// would, and remember whether an attempt may have landed before the answer was lost.
export interface Answer {
  status: number;
  body: any;
  /** Attempts before the final answer that failed in a way that may have changed state. */
  ambiguous: boolean;
  attempts: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createServiceClient(baseUrl: string, token: string, giveUpMs = 180_000) {
  const counts = { requests: 0, retried503: 0, networkErrors: 0 };
  async function send(method: string, path: string, body?: unknown): Promise<Answer> {
    const deadline = Date.now() + giveUpMs;
    let ambiguous = false;
    for (let attempt = 1; ; attempt++) {
      counts.requests++;
      try {
        const response = await fetch(`${baseUrl}${path}`, {
          method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text();
        const parsed = text ? JSON.parse(text) : null;
        if (response.status !== 503 && response.status < 500) return { status: response.status, body: parsed, ambiguous, attempts: attempt };
        // A 503 may follow a write that committed just before Postgres went away: retries are
        // judged against the permanent record afterwards.
        if (response.status === 503) counts.retried503++;
        ambiguous = true;
        if (Date.now() > deadline) return { status: response.status, body: parsed, ambiguous, attempts: attempt };
        const after = Number(response.headers.get('retry-after') ?? '1');
        await sleep(Math.min(after, 2) * 1000);
      } catch (error) {
        counts.networkErrors++;
        ambiguous = true;
        if (Date.now() > deadline) throw error;
        await sleep(1000);
      }
    }
  }
  return { send, counts };
}
