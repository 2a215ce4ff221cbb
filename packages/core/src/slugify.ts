/**
 * Slugs as python-slugify 4.0 makes them with its defaults (`slugify(text)`),
 * so experiment and test folders match what the Python library writes:
 *
 * 1. apostrophes become `-`;
 * 2. every character is transliterated to ASCII (text-unidecode, the default
 *    backend of python-slugify 4.0);
 * 3. HTML entities (`&amp;`, `&#233;`, `&#xE9;`) are decoded;
 * 4. NFKD, lowercase, apostrophes removed, `,` between digits removed;
 * 5. runs of anything but `[a-z0-9]` become one `-`, trimmed at both ends.
 *
 * Transliteration uses Unicode NFKD (dropping combining marks) plus the tables
 * below for the characters where text-unidecode says something else: Latin
 * letters without a decomposition (`ß`, `æ`, `ø`, `đ`, `ł`, `þ`, `œ`, `ı`, IPA),
 * symbols, Greek, Cyrillic, kana; Hangul is romanized algorithmically. Latin
 * text gives exactly Python's slugs. Other scripts without a table (Han,
 * Arabic, Hebrew, Indic, ...) become deterministic code-point words
 * (`日本語` → `u65e5-u672c-u8a9e`; Python gives `ri-ben-yu`), as the project's
 * fixtures allow for non-Latin scripts.
 *
 * Pure string code: no Node built-ins, runs in browsers and edge runtimes.
 */

/**
 * The slug of `text`, as python-slugify 4.0 `slugify(text)` gives it. May be
 * empty (emoji- or punctuation-only text): see {@link slugifyOrFallback}.
 *
 * @example
 * slugify("My experiment");   // "my-experiment"
 * slugify("naïve-émbed");     // "naive-embed"
 * slugify("C'est la vie");    // "c-est-la-vie"
 * slugify("Привет мир");      // "privet-mir"
 */
export function slugify(text: string): string {
  let s = String(text).replace(/'+/g, "-");
  s = transliterate(s);
  s = decodeEntities(s);
  s = s.normalize("NFKD").toLowerCase();
  s = s.replace(/'+/g, "");
  s = s.replace(/(?<=\d),(?=\d)/g, "");
  s = s.replace(/[^-a-z0-9]+/g, "-");
  return s.replace(/-{2,}/g, "-").replace(/^-+|-+$/g, "");
}

/**
 * {@link slugify}, but never empty: when the slug would be empty (an emoji- or
 * punctuation-only name) it is `<fallback>-<hash>`, where the hash is the
 * FNV-1a (32-bit, hex) of the text, so different such names stay distinct.
 *
 * @example
 * slugifyOrFallback("Model Card");      // "model-card"
 * slugifyOrFallback("🚀");              // "artifact-" + 8 hex digits
 * slugifyOrFallback("!!!", "test");     // "test-" + 8 hex digits
 */
export function slugifyOrFallback(text: string, fallback = "artifact"): string {
  const slug = slugify(text);
  if (slug.length > 0) return slug;
  const base = slugify(fallback) || "artifact";
  return `${base}-${fnv1a(String(text))}`;
}

/** FNV-1a 32-bit over the UTF-16 code units of `s`, as 8 hex digits. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** ASCII transliteration of `text` (text-unidecode for Latin, Greek, Cyrillic, kana, Hangul). */
export function transliterate(text: string): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      out += ch;
      continue;
    }
    const direct = translitChar(ch, cp);
    if (direct !== undefined) {
      out += direct;
      continue;
    }
    const decomposed = ch.normalize("NFKD");
    if (decomposed === ch) {
      out += fallback(ch, cp);
      continue;
    }
    for (const d of decomposed) {
      const dcp = d.codePointAt(0)!;
      if (dcp < 0x80) out += d;
      else if (MARK.test(d)) continue;
      else out += translitChar(d, dcp) ?? fallback(d, dcp);
    }
  }
  return out;
}

const MARK = /^\p{M}$/u;
const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;
const FORMAT_OR_UNASSIGNED = /^[\p{Cf}\p{Cn}]$/u;

/** The table or range answer for one character, or `undefined` to decompose it. */
function translitChar(ch: string, cp: number): string | undefined {
  const t = table().get(ch);
  if (t !== undefined) return t;
  if (cp >= 0xac00 && cp <= 0xd7a3) return hangul(cp - 0xac00);
  if (cp >= 0x30a1 && cp <= 0x30f4) return table().get(String.fromCharCode(cp - 0x60));
  if (inRanges(cp, UNKNOWN_RANGES)) return " ";
  if (inRanges(cp, EMPTY_RANGES)) return "";
  return undefined;
}

function inRanges(cp: number, ranges: ReadonlyArray<readonly [number, number]>): boolean {
  for (const [lo, hi] of ranges) {
    if (cp < lo) return false;
    if (cp <= hi) return true;
  }
  return false;
}

/**
 * Characters nothing else covers: letters and digits of scripts without a
 * table become a code-point word (` u65e5 `); marks, format and unassigned
 * characters and symbols outside the Basic Multilingual Plane (emoji) vanish,
 * as in text-unidecode; other symbols separate words.
 */
function fallback(ch: string, cp: number): string {
  if (LETTER_OR_NUMBER.test(ch)) return ` u${cp.toString(16).padStart(4, "0")} `;
  if (cp > 0xffff || MARK.test(ch) || FORMAT_OR_UNASSIGNED.test(ch)) return "";
  return " ";
}

// Ranges (sorted) of characters text-unidecode 1.3 does not know: it writes
// "[?]", which separates words.
const UNKNOWN_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x241, 0x242], [0x34f, 0x35f], [0x370, 0x373], [0x376, 0x379], [0x37b, 0x383], [0x38b, 0x38b], [0x38d, 0x38d], [0x3a2, 0x3a2],
  [0x3cf, 0x3cf], [0x3d8, 0x3d9], [0x3f4, 0x3ff], [0x487, 0x48b], [0x4c5, 0x4cf], [0x4f6, 0x4f7], [0x4fa, 0x52f], [0x1d00, 0x1dff],
  [0x1efa, 0x1eff], [0x1f16, 0x1f17], [0x1f1e, 0x1f1f], [0x1f46, 0x1f47], [0x1f4e, 0x1f4f], [0x1f58, 0x1f58], [0x1f5a, 0x1f5a], [0x1f5c, 0x1f5c],
  [0x1f5e, 0x1f5e], [0x1f7e, 0x1f7f], [0x1fb5, 0x1fb5], [0x1fc5, 0x1fc5], [0x1fd4, 0x1fd5], [0x1fdc, 0x1fdc], [0x1ff0, 0x1ff1], [0x1ff5, 0x1ff5],
  [0x1fff, 0x200b], [0x2057, 0x2069], [0x208f, 0x209f], [0x20c1, 0x20cf], [0x20e4, 0x20ff], [0x2145, 0x2152], [0x2184, 0x218f], [0x2427, 0x243f],
  [0x244b, 0x245f], [0x24eb, 0x24ff], [0x2b74, 0x2e7f], [0x303b, 0x303c], [0x3040, 0x3098], [0x309f, 0x309f], [0x30ff, 0x30ff], [0xa717, 0xa7ff],
  [0xfe00, 0xfe1f], [0xfe24, 0xfe2f], [0xff00, 0xff00], [0xffe7, 0xfff8],
];

// Ranges (sorted) text-unidecode maps to nothing: C1 controls, letterlike
// symbols (™ is in the table), control pictures, enclosed alphanumerics,
// miscellaneous symbols, dingbats, ...
const EMPTY_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x80, 0x9f], [0x2e5, 0x2eb], [0x37a, 0x37a], [0x384, 0x385], [0x42a, 0x42a], [0x44a, 0x44a], [0x2071, 0x2071], [0x2100, 0x2121],
  [0x2123, 0x213f], [0x2400, 0x2426], [0x2440, 0x244a], [0x2460, 0x24ea], [0x2600, 0x2613], [0x2619, 0x2671], [0x2701, 0x275e], [0x2761, 0x27af],
  [0x27b1, 0x27be], [0x3035, 0x3035], [0x303e, 0x303f], [0x309b, 0x309c], [0x30fb, 0x30fc], [0xfe49, 0xfe4f], [0xfffc, 0xfffd],
];

const HANGUL_LEAD = ["g", "gg", "n", "d", "dd", "r", "m", "b", "bb", "s", "ss", "", "j", "jj", "c", "k", "t", "p", "h"];
const HANGUL_VOWEL = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "weo", "we", "wi", "yu", "eu", "yi", "i"];
const HANGUL_TAIL = ["", "g", "gg", "gs", "n", "nj", "nh", "d", "l", "lg", "lm", "lb", "ls", "lt", "lp", "lh", "m", "b", "bs", "s", "ss", "ng", "j", "c", "k", "t", "p", "h"];

/** Revised-romanization-like spelling of a precomposed Hangul syllable (index from U+AC00). */
function hangul(index: number): string {
  return HANGUL_LEAD[Math.floor(index / 588)]! + HANGUL_VOWEL[Math.floor((index % 588) / 28)]! + HANGUL_TAIL[index % 28]!;
}

/** python-slugify decodes named, decimal and hexadecimal character references after transliterating. */
function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  let s = text.replace(/&([A-Za-z0-9]+);/g, (m, name: string) => {
    const cp = entities().get(name);
    return cp === undefined ? m : String.fromCodePoint(cp);
  });
  s = decodeNumeric(s, /&#(\d+);/g, 10);
  return decodeNumeric(s, /&#x([\da-fA-F]+);/g, 16);
}

/** Python replaces all references of one kind, or none if any is out of range. */
function decodeNumeric(text: string, pattern: RegExp, radix: number): string {
  let valid = true;
  const out = text.replace(pattern, (_m, digits: string) => {
    const trimmed = digits.replace(/^0+(?=.)/, "");
    const cp = trimmed.length > 8 ? Infinity : parseInt(trimmed, radix);
    if (!(cp <= 0x10ffff)) {
      valid = false;
      return "";
    }
    return String.fromCodePoint(cp);
  });
  return valid ? out : text;
}

let tableCache: Map<string, string> | undefined;
function table(): Map<string, string> {
  tableCache ??= new Map(Object.entries(TRANSLIT));
  return tableCache;
}

let entityCache: Map<string, number> | undefined;
function entities(): Map<string, number> {
  if (!entityCache) {
    entityCache = new Map();
    for (const pair of ENTITIES.split(" ")) {
      const [name, hex] = pair.split(":");
      if (name && hex) entityCache.set(name, parseInt(hex, 16));
    }
  }
  return entityCache;
}

// HTML 4 character entity names (Python's html.entities.name2codepoint), name:hex.
const ENTITIES =
  "quot:22 amp:26 lt:3c gt:3e nbsp:a0 iexcl:a1 cent:a2 pound:a3 curren:a4 yen:a5 brvbar:a6 sect:a7 " +
  "uml:a8 copy:a9 ordf:aa laquo:ab not:ac shy:ad reg:ae macr:af deg:b0 plusmn:b1 sup2:b2 sup3:b3 " +
  "acute:b4 micro:b5 para:b6 middot:b7 cedil:b8 sup1:b9 ordm:ba raquo:bb frac14:bc frac12:bd frac34:be " +
  "iquest:bf Agrave:c0 Aacute:c1 Acirc:c2 Atilde:c3 Auml:c4 Aring:c5 AElig:c6 Ccedil:c7 Egrave:c8 " +
  "Eacute:c9 Ecirc:ca Euml:cb Igrave:cc Iacute:cd Icirc:ce Iuml:cf ETH:d0 Ntilde:d1 Ograve:d2 Oacute:d3 " +
  "Ocirc:d4 Otilde:d5 Ouml:d6 times:d7 Oslash:d8 Ugrave:d9 Uacute:da Ucirc:db Uuml:dc Yacute:dd " +
  "THORN:de szlig:df agrave:e0 aacute:e1 acirc:e2 atilde:e3 auml:e4 aring:e5 aelig:e6 ccedil:e7 " +
  "egrave:e8 eacute:e9 ecirc:ea euml:eb igrave:ec iacute:ed icirc:ee iuml:ef eth:f0 ntilde:f1 ograve:f2 " +
  "oacute:f3 ocirc:f4 otilde:f5 ouml:f6 divide:f7 oslash:f8 ugrave:f9 uacute:fa ucirc:fb uuml:fc " +
  "yacute:fd thorn:fe yuml:ff OElig:152 oelig:153 Scaron:160 scaron:161 Yuml:178 fnof:192 circ:2c6 " +
  "tilde:2dc Alpha:391 Beta:392 Gamma:393 Delta:394 Epsilon:395 Zeta:396 Eta:397 Theta:398 Iota:399 " +
  "Kappa:39a Lambda:39b Mu:39c Nu:39d Xi:39e Omicron:39f Pi:3a0 Rho:3a1 Sigma:3a3 Tau:3a4 Upsilon:3a5 " +
  "Phi:3a6 Chi:3a7 Psi:3a8 Omega:3a9 alpha:3b1 beta:3b2 gamma:3b3 delta:3b4 epsilon:3b5 zeta:3b6 " +
  "eta:3b7 theta:3b8 iota:3b9 kappa:3ba lambda:3bb mu:3bc nu:3bd xi:3be omicron:3bf pi:3c0 rho:3c1 " +
  "sigmaf:3c2 sigma:3c3 tau:3c4 upsilon:3c5 phi:3c6 chi:3c7 psi:3c8 omega:3c9 thetasym:3d1 upsih:3d2 " +
  "piv:3d6 ensp:2002 emsp:2003 thinsp:2009 zwnj:200c zwj:200d lrm:200e rlm:200f ndash:2013 mdash:2014 " +
  "lsquo:2018 rsquo:2019 sbquo:201a ldquo:201c rdquo:201d bdquo:201e dagger:2020 Dagger:2021 bull:2022 " +
  "hellip:2026 permil:2030 prime:2032 Prime:2033 lsaquo:2039 rsaquo:203a oline:203e frasl:2044 " +
  "euro:20ac image:2111 weierp:2118 real:211c trade:2122 alefsym:2135 larr:2190 uarr:2191 rarr:2192 " +
  "darr:2193 harr:2194 crarr:21b5 lArr:21d0 uArr:21d1 rArr:21d2 dArr:21d3 hArr:21d4 forall:2200 " +
  "part:2202 exist:2203 empty:2205 nabla:2207 isin:2208 notin:2209 ni:220b prod:220f sum:2211 " +
  "minus:2212 lowast:2217 radic:221a prop:221d infin:221e ang:2220 and:2227 or:2228 cap:2229 cup:222a " +
  "int:222b there4:2234 sim:223c cong:2245 asymp:2248 ne:2260 equiv:2261 le:2264 ge:2265 sub:2282 " +
  "sup:2283 nsub:2284 sube:2286 supe:2287 oplus:2295 otimes:2297 perp:22a5 sdot:22c5 lceil:2308 " +
  "rceil:2309 lfloor:230a rfloor:230b lang:2329 rang:232a loz:25ca spades:2660 clubs:2663 hearts:2665 " +
  "diams:2666";

// ASCII for characters whose text-unidecode answer differs from their NFKD
// decomposition without combining marks. Katakana U+30A1..U+30F4 reuse the
// hiragana entries (U+3041..U+3094).
const TRANSLIT: Readonly<Record<string, string>> = {
  // Latin-1 Supplement, Latin Extended-A/B
  "¢": "C/", "£": "PS", "¥": "Y=", "§": "SS", "©": "(c)", "®": "(r)", "°": "deg", "\u00b4": "'", "µ": "u", "¶": "P",
  "\u00b8": ",", "Æ": "AE", "Ð": "D", "×": "x", "Ø": "O", "Þ": "Th", "ß": "ss", "æ": "ae", "ð": "d", "ø": "o",
  "þ": "th", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "ĸ": "k", "Ŀ": "L", "ŀ": "l", "Ł": "L",
  "ł": "l", "Ŋ": "ng", "ŋ": "NG", "Œ": "OE", "œ": "oe", "Ŧ": "T", "ŧ": "t", "ƀ": "b", "Ɓ": "B", "Ƃ": "B",
  "ƃ": "b", "Ƅ": "6", "ƅ": "6", "Ɔ": "O", "Ƈ": "C", "ƈ": "c", "Ɖ": "D", "Ɗ": "D", "Ƌ": "D", "ƌ": "d",
  "ƍ": "d", "Ǝ": "3", "Ə": "@", "Ɛ": "E", "Ƒ": "F", "ƒ": "f", "Ɠ": "G", "Ɣ": "G", "ƕ": "hv", "Ɩ": "I",
  "Ɨ": "I", "Ƙ": "K", "ƙ": "k", "ƚ": "l", "ƛ": "l", "Ɯ": "W", "Ɲ": "N", "ƞ": "n", "Ɵ": "O", "Ƣ": "OI",
  "ƣ": "oi", "Ƥ": "P", "ƥ": "p", "Ʀ": "YR", "Ƨ": "2", "ƨ": "2", "Ʃ": "SH", "ƪ": "sh", "ƫ": "t", "Ƭ": "T",
  "ƭ": "t", "Ʈ": "T", "Ʊ": "Y", "Ʋ": "V", "Ƴ": "Y", "ƴ": "y", "Ƶ": "Z", "ƶ": "z", "Ʒ": "ZH", "Ƹ": "ZH",
  "ƹ": "zh", "ƺ": "zh", "ƻ": "2", "Ƽ": "5", "ƽ": "5", "ƾ": "ts", "ƿ": "w", "ǀ": "|", "ǁ": "||", "ǂ": "|=",
  "ǃ": "!", "ǝ": "@", "Ǥ": "G", "ǥ": "g", "ǯ": "zh", "Ƕ": "HV", "Ƿ": "W", "Ȝ": "Y", "ȝ": "y", "Ƞ": "N",
  "ȡ": "d", "Ȣ": "OU", "ȣ": "ou", "Ȥ": "Z", "ȥ": "z", "ȴ": "l", "ȵ": "n", "ȶ": "t", "ȷ": "j", "ȸ": "db",
  "ȹ": "qp", "Ⱥ": "A", "Ȼ": "C", "ȼ": "c", "Ƚ": "L", "Ⱦ": "T", "ȿ": "s", "ɀ": "z", "Ƀ": "B", "Ʉ": "U",
  "Ʌ": "^", "Ɇ": "E", "ɇ": "e", "Ɉ": "J", "ɉ": "j", "Ɋ": "q", "ɋ": "q", "Ɍ": "R", "ɍ": "r", "Ɏ": "Y",
  "ɏ": "y",
  // IPA extensions, spacing modifiers, combining marks
  "ɐ": "a", "ɑ": "a", "ɒ": "a", "ɓ": "b", "ɔ": "o", "ɕ": "c", "ɖ": "d", "ɗ": "d", "ɘ": "e", "ə": "@",
  "ɚ": "@", "ɛ": "e", "ɜ": "e", "ɝ": "e", "ɞ": "e", "ɟ": "j", "ɠ": "g", "ɡ": "g", "ɢ": "g", "ɣ": "g",
  "ɤ": "u", "ɥ": "Y", "ɦ": "h", "ɧ": "h", "ɨ": "i", "ɩ": "i", "ɪ": "I", "ɫ": "l", "ɬ": "l", "ɭ": "l",
  "ɮ": "lZ", "ɯ": "W", "ɰ": "W", "ɱ": "m", "ɲ": "n", "ɳ": "n", "ɴ": "n", "ɵ": "o", "ɶ": "OE", "ɷ": "O",
  "ɸ": "F", "ɹ": "r", "ɺ": "r", "ɻ": "r", "ɼ": "r", "ɽ": "r", "ɾ": "r", "ɿ": "r", "ʀ": "R", "ʁ": "R",
  "ʂ": "s", "ʃ": "S", "ʄ": "j", "ʅ": "S", "ʆ": "S", "ʇ": "t", "ʈ": "t", "ʉ": "u", "ʊ": "U", "ʋ": "v",
  "ʌ": "^", "ʍ": "w", "ʎ": "y", "ʏ": "Y", "ʐ": "z", "ʑ": "z", "ʒ": "Z", "ʓ": "Z", "ʔ": "?", "ʕ": "?",
  "ʖ": "?", "ʗ": "C", "ʘ": "@", "ʙ": "B", "ʚ": "E", "ʛ": "G", "ʜ": "H", "ʝ": "j", "ʞ": "k", "ʟ": "L",
  "ʠ": "q", "ʡ": "?", "ʢ": "?", "ʣ": "dz", "ʤ": "dZ", "ʥ": "dz", "ʦ": "ts", "ʧ": "tS", "ʨ": "tC", "ʩ": "fN",
  "ʪ": "ls", "ʫ": "lz", "ʬ": "WW", "ʭ": "]]", "ʮ": "h", "ʯ": "h", "\u02b9": "'", "\u02ba": "\"", "\u02bb": "`", "\u02bc": "'",
  "\u02bd": "`", "\u02be": "`", "\u02bf": "'", "\u02c0": "?", "\u02c1": "?", "\u02c5": "V", "\u02c6": "^", "\u02c7": "V", "\u02c8": "'", "\u02c9": "-",
  "\u02ca": "/", "\u02cb": "\\", "\u02cc": ",", "\u02cd": "_", "\u02ce": "\\", "\u02cf": "/", "\u02d0": ":", "\u02d1": ".", "\u02d3": "'", "\u02d5": "V",
  "\u02d8": "V", "\u02db": ",", "\u02de": "R", "\u02df": "X", "\u02ec": "V", "\u02ee": "\"", "\u0363": "a", "\u0364": "e", "\u0365": "i", "\u0366": "o",
  "\u0367": "u", "\u0368": "c", "\u0369": "d", "\u036a": "h", "\u036b": "m", "\u036c": "r", "\u036d": "t", "\u036e": "v", "\u036f": "x",
  // Greek and Coptic
  "\u0375": ",", "Α": "A", "Β": "B", "Γ": "G", "Δ": "D", "Ε": "E", "Ζ": "Z", "Η": "E", "Θ": "Th", "Ι": "I",
  "Κ": "K", "Λ": "L", "Μ": "M", "Ν": "N", "Ξ": "Ks", "Ο": "O", "Π": "P", "Ρ": "R", "Σ": "S", "Τ": "T",
  "Υ": "U", "Φ": "Ph", "Χ": "Kh", "Ψ": "Ps", "Ω": "O", "α": "a", "β": "b", "γ": "g", "δ": "d", "ε": "e",
  "ζ": "z", "η": "e", "θ": "th", "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o",
  "π": "p", "ρ": "r", "ς": "s", "σ": "s", "τ": "t", "υ": "u", "φ": "ph", "χ": "kh", "ψ": "ps", "ω": "o",
  "ϗ": "&", "Ϛ": "St", "ϛ": "st", "Ϝ": "W", "ϝ": "w", "Ϟ": "Q", "ϟ": "q", "Ϡ": "Sp", "ϡ": "sp", "Ϣ": "Sh",
  "ϣ": "sh", "Ϥ": "F", "ϥ": "f", "Ϧ": "Kh", "ϧ": "kh", "Ϩ": "H", "ϩ": "h", "Ϫ": "G", "ϫ": "g", "Ϭ": "CH",
  "ϭ": "ch", "Ϯ": "Ti", "ϯ": "ti", "ϲ": "c", "ϳ": "j",
  // Cyrillic
  "Ѐ": "Ie", "Ё": "Io", "Ђ": "Dj", "Ѓ": "Gj", "Є": "E", "Ѕ": "Dz", "І": "I", "Ї": "Yi", "Ј": "J", "Љ": "Lj",
  "Њ": "Nj", "Ћ": "Tsh", "Ќ": "Kj", "Џ": "Dzh", "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Е": "E",
  "Ж": "Zh", "З": "Z", "И": "I", "К": "K", "Л": "L", "М": "M", "Н": "N", "О": "O", "П": "P", "Р": "R",
  "С": "S", "Т": "T", "У": "U", "Ф": "F", "Х": "Kh", "Ц": "Ts", "Ч": "Ch", "Ш": "Sh", "Щ": "Shch", "Ы": "Y",
  "Ь": "'", "Э": "E", "Ю": "Iu", "Я": "Ia", "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e",
  "ж": "zh", "з": "z", "и": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
  "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ы": "y",
  "ь": "'", "э": "e", "ю": "iu", "я": "ia", "ѐ": "ie", "ё": "io", "ђ": "dj", "ѓ": "gj", "є": "ie", "ѕ": "dz",
  "і": "i", "ї": "yi", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "tsh", "ќ": "kj", "џ": "dzh", "Ѡ": "O", "ѡ": "o",
  "Ѣ": "E", "ѣ": "e", "Ѥ": "Ie", "ѥ": "ie", "Ѧ": "E", "ѧ": "e", "Ѩ": "Ie", "ѩ": "ie", "Ѫ": "O", "ѫ": "o",
  "Ѭ": "Io", "ѭ": "io", "Ѯ": "Ks", "ѯ": "ks", "Ѱ": "Ps", "ѱ": "ps", "Ѳ": "F", "ѳ": "f", "Ѵ": "Y", "ѵ": "y",
  "Ѹ": "u", "ѹ": "u", "Ѻ": "O", "ѻ": "o", "Ѽ": "O", "ѽ": "o", "Ѿ": "Ot", "ѿ": "ot", "Ҁ": "Q", "ҁ": "q",
  "҂": "*1000*", "\u0488": "*100.000*", "\u0489": "*1.000.000*", "Ҍ": "\"", "ҍ": "\"", "Ҏ": "R'", "ҏ": "r'", "Ґ": "G'", "ґ": "g'", "Ғ": "G'",
  "ғ": "g'", "Ҕ": "G'", "ҕ": "g'", "Җ": "Zh'", "җ": "zh'", "Ҙ": "Z'", "ҙ": "z'", "Қ": "K'", "қ": "k'", "Ҝ": "K'",
  "ҝ": "k'", "Ҟ": "K'", "ҟ": "k'", "Ҡ": "K'", "ҡ": "k'", "Ң": "N'", "ң": "n'", "Ҥ": "Ng", "ҥ": "ng", "Ҧ": "P'",
  "ҧ": "p'", "Ҩ": "Kh", "ҩ": "kh", "Ҫ": "S'", "ҫ": "s'", "Ҭ": "T'", "ҭ": "t'", "Ү": "U", "ү": "u", "Ұ": "U'",
  "ұ": "u'", "Ҳ": "Kh'", "ҳ": "kh'", "Ҵ": "Tts", "ҵ": "tts", "Ҷ": "Ch'", "ҷ": "ch'", "Ҹ": "Ch'", "ҹ": "ch'", "Һ": "H",
  "һ": "h", "Ҽ": "Ch", "ҽ": "ch", "Ҿ": "Ch'", "ҿ": "ch'", "Ӏ": "`", "Ӄ": "K'", "ӄ": "k'", "Ӈ": "N'", "ӈ": "n'",
  "Ӌ": "Ch", "ӌ": "ch", "Ӕ": "Ae", "ӕ": "ae", "Ӗ": "Ie", "ӗ": "ie", "Ә": "@", "ә": "@", "Ӡ": "Dz", "ӡ": "dz",
  "Ө": "O", "ө": "o",
  // Latin Extended Additional, Greek Extended
  "ẚ": "a", "ẜ": "s", "ẝ": "s", "ẞ": "Ss", "ẟ": "d", "\u1fbd": "'", "\u1fbf": "'", "\u1fce": "''", "\u1ffd": "'",
  // Punctuation, currency, number forms, symbols
  "‘": "'", "’": "'", "‚": ",", "‛": "'", "„": ",,", "‰": "%0", "‱": "%00", "′": "'", "⁊": "7", "⁋": "PP",
  "₠": "ECU", "₡": "CL", "₢": "Cr", "₣": "FF", "₤": "L", "₥": "mil", "₦": "N", "₧": "Pts", "₩": "W", "₪": "NS",
  "₫": "D", "€": "EUR", "₭": "K", "₮": "T", "₯": "Dr", "⅓": " 1/3 ", "⅔": " 2/3 ", "⅕": " 1/5 ", "⅖": " 2/5 ", "⅗": " 3/5 ",
  "⅘": " 4/5 ", "⅙": " 1/6 ", "⅚": " 5/6 ", "⅛": " 1/8 ", "⅜": " 3/8 ", "⅝": " 5/8 ", "⅞": " 7/8 ", "⅟": " 1/", "ↀ": "(D", "ↁ": "D)",
  "ↂ": "((|))", "Ↄ": ")", "↷": "V", "↺": "V", "╳": "X", "▼": "V", "▽": "V", "▾": "V", "▿": "V", "◯": "O",
  "⠁": "a", "⠂": "1", "⠃": "b", "⠄": "'", "⠅": "k", "⠆": "2", "⠇": "l", "⠉": "c", "⠊": "i", "⠋": "f",
  "⠍": "m", "⠎": "s", "⠏": "p", "⠑": "e", "⠒": "3", "⠓": "h", "⠔": "9", "⠕": "o", "⠖": "6", "⠗": "r",
  "⠙": "d", "⠚": "j", "⠛": "g", "⠝": "n", "⠞": "t", "⠟": "q", "⠠": ",", "⠢": "5", "⠥": "u", "⠦": "8",
  "⠧": "v", "⠭": "x", "⠲": "4", "⠴": "0", "⠵": "z", "⠶": "7", "⠺": "w", "⠽": "y", "⡀": "[d7]", "⡁": "[d17]",
  "⡂": "[d27]", "⡃": "[d127]", "⡄": "[d37]", "⡅": "[d137]", "⡆": "[d237]", "⡇": "[d1237]", "⡈": "[d47]", "⡉": "[d147]", "⡊": "[d247]", "⡋": "[d1247]",
  "⡌": "[d347]", "⡍": "[d1347]", "⡎": "[d2347]", "⡏": "[d12347]", "⡐": "[d57]", "⡑": "[d157]", "⡒": "[d257]", "⡓": "[d1257]", "⡔": "[d357]", "⡕": "[d1357]",
  "⡖": "[d2357]", "⡗": "[d12357]", "⡘": "[d457]", "⡙": "[d1457]", "⡚": "[d2457]", "⡛": "[d12457]", "⡜": "[d3457]", "⡝": "[d13457]", "⡞": "[d23457]", "⡟": "[d123457]",
  "⡠": "[d67]", "⡡": "[d167]", "⡢": "[d267]", "⡣": "[d1267]", "⡤": "[d367]", "⡥": "[d1367]", "⡦": "[d2367]", "⡧": "[d12367]", "⡨": "[d467]", "⡩": "[d1467]",
  "⡪": "[d2467]", "⡫": "[d12467]", "⡬": "[d3467]", "⡭": "[d13467]", "⡮": "[d23467]", "⡯": "[d123467]", "⡰": "[d567]", "⡱": "[d1567]", "⡲": "[d2567]", "⡳": "[d12567]",
  "⡴": "[d3567]", "⡵": "[d13567]", "⡶": "[d23567]", "⡷": "[d123567]", "⡸": "[d4567]", "⡹": "[d14567]", "⡺": "[d24567]", "⡻": "[d124567]", "⡼": "[d34567]", "⡽": "[d134567]",
  "⡾": "[d234567]", "⡿": "[d1234567]", "⢀": "[d8]", "⢁": "[d18]", "⢂": "[d28]", "⢃": "[d128]", "⢄": "[d38]", "⢅": "[d138]", "⢆": "[d238]", "⢇": "[d1238]",
  "⢈": "[d48]", "⢉": "[d148]", "⢊": "[d248]", "⢋": "[d1248]", "⢌": "[d348]", "⢍": "[d1348]", "⢎": "[d2348]", "⢏": "[d12348]", "⢐": "[d58]", "⢑": "[d158]",
  "⢒": "[d258]", "⢓": "[d1258]", "⢔": "[d358]", "⢕": "[d1358]", "⢖": "[d2358]", "⢗": "[d12358]", "⢘": "[d458]", "⢙": "[d1458]", "⢚": "[d2458]", "⢛": "[d12458]",
  "⢜": "[d3458]", "⢝": "[d13458]", "⢞": "[d23458]", "⢟": "[d123458]", "⢠": "[d68]", "⢡": "[d168]", "⢢": "[d268]", "⢣": "[d1268]", "⢤": "[d368]", "⢥": "[d1368]",
  "⢦": "[d2368]", "⢧": "[d12368]", "⢨": "[d468]", "⢩": "[d1468]", "⢪": "[d2468]", "⢫": "[d12468]", "⢬": "[d3468]", "⢭": "[d13468]", "⢮": "[d23468]", "⢯": "[d123468]",
  "⢰": "[d568]", "⢱": "[d1568]", "⢲": "[d2568]", "⢳": "[d12568]", "⢴": "[d3568]", "⢵": "[d13568]", "⢶": "[d23568]", "⢷": "[d123568]", "⢸": "[d4568]", "⢹": "[d14568]",
  "⢺": "[d24568]", "⢻": "[d124568]", "⢼": "[d34568]", "⢽": "[d134568]", "⢾": "[d234568]", "⢿": "[d1234568]", "⣀": "[d78]", "⣁": "[d178]", "⣂": "[d278]", "⣃": "[d1278]",
  "⣄": "[d378]", "⣅": "[d1378]", "⣆": "[d2378]", "⣇": "[d12378]", "⣈": "[d478]", "⣉": "[d1478]", "⣊": "[d2478]", "⣋": "[d12478]", "⣌": "[d3478]", "⣍": "[d13478]",
  "⣎": "[d23478]", "⣏": "[d123478]", "⣐": "[d578]", "⣑": "[d1578]", "⣒": "[d2578]", "⣓": "[d12578]", "⣔": "[d3578]", "⣕": "[d13578]", "⣖": "[d23578]", "⣗": "[d123578]",
  "⣘": "[d4578]", "⣙": "[d14578]", "⣚": "[d24578]", "⣛": "[d124578]", "⣜": "[d34578]", "⣝": "[d134578]", "⣞": "[d234578]", "⣟": "[d1234578]", "⣠": "[d678]", "⣡": "[d1678]",
  "⣢": "[d2678]", "⣣": "[d12678]", "⣤": "[d3678]", "⣥": "[d13678]", "⣦": "[d23678]", "⣧": "[d123678]", "⣨": "[d4678]", "⣩": "[d14678]", "⣪": "[d24678]", "⣫": "[d124678]",
  "⣬": "[d34678]", "⣭": "[d134678]", "⣮": "[d234678]", "⣯": "[d1234678]", "⣰": "[d5678]", "⣱": "[d15678]", "⣲": "[d25678]", "⣳": "[d125678]", "⣴": "[d35678]", "⣵": "[d135678]",
  "⣶": "[d235678]", "⣷": "[d1235678]", "⣸": "[d45678]", "⣹": "[d145678]", "⣺": "[d245678]", "⣻": "[d1245678]", "⣼": "[d345678]", "⣽": "[d1345678]", "⣾": "[d2345678]", "⣿": "[d12345678]",
  // CJK punctuation
  "、": ", ", "〄": "[JIS]", "\u3005": "\"", "〆": "/", "〇": "0", "〓": "X ", "〞": "''", "〟": ",,", "〡": "1", "〢": "2",
  "〣": "3", "〤": "4", "〥": "5", "〦": "6", "〧": "7", "〨": "8", "〩": "9", "\u3031": "+", "\u3032": "+", "\u3033": "+",
  "\u3034": "+", "〸": "+10+", "〹": "+20+", "〺": "+30+",
  // Hiragana (Katakana U+30A1..U+30F4 reuse these) and other kana
  "ぁ": "a", "あ": "a", "ぃ": "i", "い": "i", "ぅ": "u", "う": "u", "ぇ": "e", "え": "e", "ぉ": "o", "お": "o",
  "か": "ka", "が": "ga", "き": "ki", "ぎ": "gi", "く": "ku", "ぐ": "gu", "け": "ke", "げ": "ge", "こ": "ko", "ご": "go",
  "さ": "sa", "ざ": "za", "し": "si", "じ": "zi", "す": "su", "ず": "zu", "せ": "se", "ぜ": "ze", "そ": "so", "ぞ": "zo",
  "た": "ta", "だ": "da", "ち": "ti", "ぢ": "di", "っ": "tu", "つ": "tu", "づ": "du", "て": "te", "で": "de", "と": "to",
  "ど": "do", "な": "na", "に": "ni", "ぬ": "nu", "ね": "ne", "の": "no", "は": "ha", "ば": "ba", "ぱ": "pa", "ひ": "hi",
  "び": "bi", "ぴ": "pi", "ふ": "hu", "ぶ": "bu", "ぷ": "pu", "へ": "he", "べ": "be", "ぺ": "pe", "ほ": "ho", "ぼ": "bo",
  "ぽ": "po", "ま": "ma", "み": "mi", "む": "mu", "め": "me", "も": "mo", "ゃ": "ya", "や": "ya", "ゅ": "yu", "ゆ": "yu",
  "ょ": "yo", "よ": "yo", "ら": "ra", "り": "ri", "る": "ru", "れ": "re", "ろ": "ro", "ゎ": "wa", "わ": "wa", "ゐ": "wi",
  "ゑ": "we", "を": "wo", "ん": "n", "ゔ": "vu", "\u309d": "\"", "ァ": "a", "ア": "a", "ィ": "i", "イ": "i", "ゥ": "u",
  "ウ": "u", "ェ": "e", "エ": "e", "ォ": "o", "オ": "o", "カ": "ka", "ガ": "ga", "キ": "ki", "ギ": "gi", "ク": "ku",
  "グ": "gu", "ケ": "ke", "ゲ": "ge", "コ": "ko", "ゴ": "go", "サ": "sa", "ザ": "za", "シ": "si", "ジ": "zi", "ス": "su",
  "ズ": "zu", "セ": "se", "ゼ": "ze", "ソ": "so", "ゾ": "zo", "タ": "ta", "ダ": "da", "チ": "ti", "ヂ": "di", "ッ": "tu",
  "ツ": "tu", "ヅ": "du", "テ": "te", "デ": "de", "ト": "to", "ド": "do", "ナ": "na", "ニ": "ni", "ヌ": "nu", "ネ": "ne",
  "ノ": "no", "ハ": "ha", "バ": "ba", "パ": "pa", "ヒ": "hi", "ビ": "bi", "ピ": "pi", "フ": "hu", "ブ": "bu", "プ": "pu",
  "ヘ": "he", "ベ": "be", "ペ": "pe", "ホ": "ho", "ボ": "bo", "ポ": "po", "マ": "ma", "ミ": "mi", "ム": "mu", "メ": "me",
  "モ": "mo", "ャ": "ya", "ヤ": "ya", "ュ": "yu", "ユ": "yu", "ョ": "yo", "ヨ": "yo", "ラ": "ra", "リ": "ri", "ル": "ru",
  "レ": "re", "ロ": "ro", "ヮ": "wa", "ワ": "wa", "ヰ": "wi", "ヱ": "we", "ヲ": "wo", "ン": "n", "ヴ": "vu", "ヵ": "ka",
  "ヶ": "ke", "ヷ": "va", "ヸ": "vi", "ヹ": "ve", "ヺ": "vo", "\u30fd": "\"",
  // Other
  "\ufe23": "~", "､": ",", "･": "*", "\uff70": "+", "\uff9e": ":", "\uff9f": ";", "￠": "/C", "￦": "W=", "￮": "O", "\ufff9": "{",
  "\ufffa": "|", "\ufffb": "}",
};
