/** A link to `path` with the given query, leaving out empty values so URLs stay readable. */
export function withQuery(path: string, params: Record<string, string | number | undefined | null>, hash = ''): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  const text = query.toString();
  return `${path}${text ? `?${text}` : ''}${hash}`;
}
