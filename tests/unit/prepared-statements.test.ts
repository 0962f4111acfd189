import { describe, expect, it } from 'vitest';
import { statementNamer } from '../../db/prepared-statements';

describe('statementNamer: the first N distinct texts are named, forever; later new ones never', () => {
  it.each([
    { limit: 2, sent: ['a', 'b', 'c', 'a', 'c', 'b'], named: [true, true, false, true, false, true] },
    { limit: 1, sent: ['a', 'a', 'b'], named: [true, true, false] },
    { limit: 0, sent: ['a'], named: [false] },
  ])('limit $limit: $sent', ({ limit, sent, named }) => {
    const shouldName = statementNamer(limit);
    expect(sent.map(shouldName)).toEqual(named);
  });
});
