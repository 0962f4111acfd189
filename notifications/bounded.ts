/**
 * Waits for `work` at most `ms`: the API answers a state change once Postgres has it; a dispatch
 * that hangs on an unreachable Temporal goes on in the background, and the worker's sweeper starts
 * whatever it never started.
 */
export async function atMost(ms: number, work: Promise<unknown>, onError: (error: unknown) => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const guarded = work.catch(onError);
  await Promise.race([guarded, new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); })]);
  clearTimeout(timer);
}
