export type ApiLoadResult = Record<string, never>;
export async function runApiLoad(_: unknown): Promise<ApiLoadResult> { return {}; }
