// "Did you mean …?" for mistyped column names and setting keys.

/** The candidate a typo most likely meant, if one is close enough to be a useful hint. */
export function closestMatch<T extends string>(input: string, candidates: readonly T[]): T | undefined {
  const word = input.toLowerCase();
  let best: T | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const squashed = (text: string): string => text.toLowerCase().replace(/[_.-]/g, '');
  const close = bestDistance <= Math.max(2, Math.floor(word.length / 4));
  return close || squashed(best) === squashed(word) ? best : undefined;
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
