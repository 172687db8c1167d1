// URL-safe names for the segment reports (/report/channel/<slug>): lower-case ASCII
// letters and digits joined by '-', the same for the same names on every build.

/** Longest slug kept, so that a long segment name still makes a readable file name. */
export const maxSlugLength = 60;

/**
 * A name as a slug: accents dropped ("Café" → "cafe"), lower-cased, every run of other
 * characters one '-', no '-' at either end; "slice" when nothing is left ("–", "日本").
 */
export function slug(name: string): string {
  const ascii = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
  const text = ascii
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, maxSlugLength)
    .replace(/^-+|-+$/g, "");
  return text || "slice";
}

/**
 * A distinct slug for each distinct name. Names are taken in code-unit order (not the
 * locale's, which may differ between machines); a slug already taken gets the first free
 * "-2", "-3", …, so "Café" keeps "cafe" and "cafe" becomes "cafe-2" on every build.
 * "index" is never given: Framework would serve it as the folder's index.
 */
export function assignSlugs(names: Iterable<string>): Map<string, string> {
  const taken = new Set(["index"]);
  const slugs = new Map<string, string>();
  for (const name of [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const base = slug(name);
    let candidate = base;
    for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`;
    taken.add(candidate);
    slugs.set(name, candidate);
  }
  return slugs;
}
