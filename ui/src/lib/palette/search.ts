// Ranking the palette's items for a query. The haystacks are lower-cased once when the items
// are built, so a keystroke over a million fields is one pass of indexOf.
import { containsAll, fuzzyMatch, fuzzyScore, tokens } from './fuzzy';
import { groups, type Group, type PaletteItem } from './items';

export interface Prepared {
  item: PaletteItem;
  /** label + keywords, lower-cased; the label comes first so its positions are the label's. */
  lower: string;
  text: string;
}

export interface Ranked {
  item: PaletteItem;
  /** Matched positions inside the label. */
  positions: number[];
}

/** With no query, groups too big to scan by eye are left out: type to find them. */
const LISTED_WITHOUT_QUERY: ReadonlySet<Group> = new Set(['Action', 'View', 'Connection', 'Proposal', 'Change']);

const groupRank = new Map<Group, number>(groups.map((g, i) => [g, i]));

export function prepare(items: readonly PaletteItem[]): Prepared[] {
  return items.map((item) => {
    const text = item.keywords === '' ? item.label : `${item.label} ${item.keywords}`;
    return { item, text, lower: text.toLowerCase() };
  });
}

type Hit = { p: Prepared; score: number };

const better = (a: Hit, b: Hit): number =>
  b.score - a.score ||
  (groupRank.get(a.p.item.group) ?? 0) - (groupRank.get(b.p.item.group) ?? 0) ||
  (a.p.item.label < b.p.item.label ? -1 : a.p.item.label > b.p.item.label ? 1 : 0);

/**
 * The best `limit` items for `query`. `within`, when given, is the list to search instead of
 * all of `prepared` (the items that matched a query this one extends: typing narrows).
 */
export function rank(prepared: readonly Prepared[], query: string, limit = 50, within?: readonly Prepared[]): Ranked[] {
  return rankWithMatches(prepared, query, limit, within).ranked;
}

export function rankWithMatches(
  prepared: readonly Prepared[],
  query: string,
  limit = 50,
  within?: readonly Prepared[],
): { ranked: Ranked[]; matched: readonly Prepared[] } {
  const words = tokens(query);
  if (words.length === 0) {
    const ranked = prepared
      .filter((p) => LISTED_WITHOUT_QUERY.has(p.item.group))
      .slice(0, limit)
      .map((p) => ({ item: p.item, positions: [] }));
    return { ranked, matched: prepared };
  }
  // Every candidate passes a cheap subsequence test; only those are aligned and scored, and
  // only the best `limit` are kept in order (no sort of 100,000 hits).
  const matched: Prepared[] = [];
  const top: Hit[] = [];
  for (const p of within ?? prepared) {
    if (!containsAll(p.lower, words)) continue;
    matched.push(p);
    const score = fuzzyScore(words, p.text, p.lower);
    if (score === null) continue;
    const hit = { p, score };
    if (top.length === limit && better(hit, top[limit - 1] as Hit) >= 0) continue;
    let at = top.length;
    while (at > 0 && better(hit, top[at - 1] as Hit) < 0) at -= 1;
    top.splice(at, 0, hit);
    if (top.length > limit) top.pop();
  }
  // Positions (for highlighting) only for what is shown.
  const ranked = top.map(({ p }) => ({
    item: p.item,
    positions: (fuzzyMatch(words, p.text, p.lower)?.positions ?? []).filter((at) => at < p.item.label.length),
  }));
  return { ranked, matched };
}

/**
 * Ranks keystroke after keystroke: when the new query extends the last one, only the items
 * the last one matched are searched (a longer query can only match fewer).
 */
export class Searcher {
  private last: { query: string; matched: readonly Prepared[] } | null = null;

  constructor(private readonly prepared: readonly Prepared[]) {}

  rank(query: string, limit = 50): Ranked[] {
    const narrows = this.last !== null && this.last.query.trim() !== '' && query.startsWith(this.last.query);
    const { ranked, matched } = rankWithMatches(this.prepared, query, limit, narrows ? this.last?.matched : undefined);
    this.last = { query, matched };
    return ranked;
  }
}
