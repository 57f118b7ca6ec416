// Fuzzy matching for the command palette: every word of the query must appear in the text in
// order (not necessarily together), and matches that are contiguous, start a word or start
// the text score higher, so "ord st" finds "public.orders.status" before "order_line.cost".

export interface FuzzyMatch {
  score: number;
  /** Indexes into the text of the matched characters, ascending, for highlighting. */
  positions: number[];
}

// Separators after which a word starts: space, . _ - / : ( ) " ' ,
const SEPARATORS = new Set([32, 9, 10, 46, 95, 45, 47, 58, 40, 41, 34, 39, 44]);

/** A character that starts a word: the first one, or one after a separator or a lower→upper step. */
function startsWord(text: string, at: number): boolean {
  if (at === 0) return true;
  const before = text.charCodeAt(at - 1);
  if (SEPARATORS.has(before)) return true;
  const here = text.charCodeAt(at);
  return before >= 97 && before <= 122 && here >= 65 && here <= 90;
}

const CONSECUTIVE = 4;
const JUMP = 1;

/** What one matched character is worth where it stands. */
function charScore(text: string, at: number): number {
  return 1 + (startsWord(text, at) ? (at === 0 ? 8 : 5) : 0);
}

// Scratch rows for the alignment, grown as needed and reused: a keystroke over 100,000 items
// must not allocate 100,000 arrays.
let scoreRows = new Float64Array(0);
let backRows = new Int32Array(0);

function scratch(size: number): void {
  if (scoreRows.length >= size) return;
  scoreRows = new Float64Array(size * 2);
  backRows = new Int32Array(size * 2);
}

/**
 * The best alignment of one token in the text: every character matched in order, each worth
 * more at a word start and when it follows the previous one; a jump costs a little. Dynamic
 * programming over (token character, text position), so "ost" in "orders.status" is read as
 * o…st, not as the first o, s and t.
 */
function matchToken(text: string, lower: string, token: string, positions: number[] | null): number | null {
  const n = lower.length;
  const m = token.length;
  if (m === 0) return 0;
  scratch(n * m);
  // Row i (offset i*n): the best score with token[i] matched at j; back: where token[i-1] was.
  const best = scoreRows;
  const back = backRows;
  for (let i = 0; i < m; i += 1) {
    const row = i * n;
    const prevRow = row - n;
    const ch = token.charCodeAt(i);
    // The best of the previous row strictly before j-1, kept as j moves right.
    let runMax = -Infinity;
    let runAt = -1;
    for (let j = 0; j < n; j += 1) {
      best[row + j] = -Infinity;
      if (i > 0 && j >= 2) {
        const v = best[prevRow + j - 2] as number;
        if (v > runMax) {
          runMax = v;
          runAt = j - 2;
        }
      }
      if (j < i || lower.charCodeAt(j) !== ch) continue;
      const here = charScore(text, j);
      if (i === 0) {
        best[row + j] = here;
        continue;
      }
      const adjacent = (best[prevRow + j - 1] as number) + CONSECUTIVE;
      const jumped = runMax - JUMP;
      if (adjacent >= jumped) {
        best[row + j] = here + adjacent;
        back[row + j] = j - 1;
      } else {
        best[row + j] = here + jumped;
        back[row + j] = runAt;
      }
    }
  }
  const lastRow = (m - 1) * n;
  let end = -1;
  let top = -Infinity;
  for (let j = 0; j < n; j += 1) {
    const v = best[lastRow + j] as number;
    if (v > top) {
      top = v;
      end = j;
    }
  }
  if (end === -1) return null;
  if (positions !== null) {
    const from = positions.length;
    for (let i = m - 1, j = end; i >= 0; i -= 1) {
      positions[from + i] = j;
      j = back[i * n + j] as number;
    }
  }
  return top;
}

/** Whether every token is a subsequence of `lower`: the cheap test before the alignment. */
export function containsAll(lower: string, queryTokens: readonly string[]): boolean {
  for (const token of queryTokens) {
    let at = 0;
    for (let i = 0; i < token.length; i += 1) {
      at = lower.indexOf(token.charAt(i), at);
      if (at === -1) return false;
      at += 1;
    }
  }
  return true;
}

/** The query's words lower-cased: split once per keystroke, not once per item. */
export function tokens(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter((t) => t !== '');
}

/**
 * Matches every token against `text` (whose lower-case form the caller keeps, as `lower`).
 * Null when a token is missing; an empty query matches everything with score 0.
 */
export function fuzzyMatch(queryTokens: readonly string[], text: string, lower = text.toLowerCase()): FuzzyMatch | null {
  const positions: number[] = [];
  const score = scoreTokens(queryTokens, text, lower, positions);
  return score === null ? null : { score, positions: [...new Set(positions)].sort((a, b) => a - b) };
}

/** The score alone, allocating nothing: what ranking needs for every candidate. */
export function fuzzyScore(queryTokens: readonly string[], text: string, lower: string): number | null {
  return scoreTokens(queryTokens, text, lower, null);
}

function scoreTokens(queryTokens: readonly string[], text: string, lower: string, positions: number[] | null): number | null {
  let score = 0;
  for (const token of queryTokens) {
    const s = matchToken(text, lower, token, positions);
    // Letters scattered one by one over a long text (a statement) are noise, not a match:
    // a token must average two points a character (word starts or runs of letters).
    if (s === null || (token.length > 1 && s < token.length * 2)) return null;
    score += s;
  }
  // Between equal matches, the shorter text is the closer one.
  return score - text.length * 0.02;
}

/** Splits `text` into runs that are and are not matched, for rendering with <mark>. */
export function highlight(text: string, positions: readonly number[]): { text: string; hit: boolean }[] {
  const hits = new Set(positions);
  const runs: { text: string; hit: boolean }[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const hit = hits.has(i);
    const last = runs[runs.length - 1];
    if (last && last.hit === hit) last.text += text.charAt(i);
    else runs.push({ text: text.charAt(i), hit });
  }
  return runs;
}
