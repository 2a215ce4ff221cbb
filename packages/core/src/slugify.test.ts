import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { slugify, slugifyOrFallback, transliterate } from "./slugify.js";

interface SlugCase {
  input: string;
  slug: string;
}

const fixture = fileURLToPath(new URL("../../../fixtures/slugify-cases.json", import.meta.url));
const cases = JSON.parse(readFileSync(fixture, "utf8")) as SlugCase[];

// Scripts without a transliteration table (Han, Arabic, Hebrew, Indic, ...)
// get deterministic code-point words instead of python-slugify's romanization;
// fixtures/README.md allows a different ASCII transliteration for them.
const NON_LATIN_DIFFERENCES: Record<string, string> = {
  "日本語": "u65e5-u672c-u8a9e",
};

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$|^$/;

describe("slugify: reference fixtures (python-slugify 4.0)", () => {
  it("has the fixture cases", () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  for (const c of cases) {
    const own = NON_LATIN_DIFFERENCES[c.input];
    if (own === undefined) {
      it(`${JSON.stringify(c.input)} → ${JSON.stringify(c.slug)}`, () => {
        expect(slugify(c.input)).toBe(c.slug);
      });
    } else {
      it(`${JSON.stringify(c.input)} → ${JSON.stringify(own)} (Python: ${JSON.stringify(c.slug)}, non-Latin script)`, () => {
        expect(slugify(c.input)).toBe(own);
        expect(slugify(c.input)).toMatch(SLUG);
        expect(slugify(c.input).length).toBeGreaterThan(0);
      });
    }
  }
});

describe("slugify: more answers of python-slugify 4.0 + text-unidecode 1.3", () => {
  // Each pair was produced by the Python reference.
  const more: Array<[string, string]> = [
    ["Straße", "strasse"],
    ["don’t stop", "dont-stop"],
    ["½ cup", "1-2-cup"],
    ["© 2024 Ørsted", "c-2024-orsted"],
    ["Łódź", "lodz"],
    ["Œuvre d'art", "oeuvre-d-art"],
    ["caf&eacute;", "cafe"],
    ["&#65;BC &#x42;", "abc-b"],
    ["1,000 rows", "1000-rows"],
    ["Ελληνικά", "ellenika"],
    ["Київ", "kiyiv"],
    ["Ґанок", "ganok"],
    ["Съёмка", "siomka"],
    ["한국어", "hangugeo"],
    ["カタカナ", "katakana"],
    ["ひらがな", "hiragana"],
    ["I❤️NY", "i-ny"],
    ["Þingvellir", "thingvellir"],
    ["Đorđe", "dorde"],
    ["İstanbul", "istanbul"],
    ["naïve", "naive"],
    ["e\u0301te\u0301", "ete"],
    ["Ｆｕｌｌｗｉｄｔｈ", "fullwidth"],
    ["ﬁnal", "final"],
    ["10 €", "10-eur"],
    ["x ™", "x-tm"],
    ["Ⅳ", "iv"],
    ["a—b", "a-b"],
    ["“quoted”", "quoted"],
    ["Ø", "o"],
    ["æble", "aeble"],
    ["ĳssel", "ijssel"],
    ["&amp;&lt;&gt;", ""],
    ["&#1114112; &#65;", "1114112-65"],
    ["&#x110000;&#65;", "x110000-a"],
    ["Tiếng Việt", "tieng-viet"],
    ["Nguyễn", "nguyen"],
  ];
  for (const [input, slug] of more) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(slug)}`, () => {
      expect(slugify(input)).toBe(slug);
    });
  }

  it("handles explicit letters NFKD cannot decompose", () => {
    expect(slugify("ß æ ø đ ł þ œ ı")).toBe("ss-ae-o-d-l-th-oe-i");
    expect(slugify("Привет мир")).toBe("privet-mir");
    expect(slugify("Ωmega αβγ")).toBe("omega-abg");
  });

  it("transliterates to ASCII only", () => {
    const out = transliterate("Ünïcödé 日本 🚀");
    expect([...out].every((c) => c.charCodeAt(0) < 0x80)).toBe(true);
  });

  it("keeps other scripts non-empty and distinct", () => {
    expect(slugify("مرحبا")).toMatch(/^u[0-9a-f]{4}(-u[0-9a-f]{4})*$/);
    expect(slugify("שלום")).not.toBe(slugify("מרחב"));
  });
});

describe("slugifyOrFallback", () => {
  it("returns the slug when there is one", () => {
    expect(slugifyOrFallback("Model Card")).toBe("model-card");
  });

  it("falls back for emoji- and punctuation-only names, without collisions", () => {
    const a = slugifyOrFallback("🚀");
    const b = slugifyOrFallback("!!!");
    expect(a).toMatch(/^artifact-[0-9a-f]{8}$/);
    expect(b).toMatch(/^artifact-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(slugifyOrFallback("🚀")).toBe(a);
    expect(slugifyOrFallback("", "test")).toMatch(/^test-[0-9a-f]{8}$/);
    expect(slugifyOrFallback("???", "My Test")).toMatch(/^my-test-[0-9a-f]{8}$/);
  });
});

describe("slugify properties", () => {
  const anyText = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.string({ maxLength: 40 }),
    fc.stringMatching(/^[&#;xa-fA-F0-9 ,'a-z]{0,30}$/),
  );

  it("produces only [a-z0-9] words joined by single dashes", () => {
    fc.assert(fc.property(anyText, (s) => SLUG.test(slugify(s))), { numRuns: 2000 });
  });

  it("is idempotent", () => {
    fc.assert(fc.property(anyText, (s) => slugify(slugify(s)) === slugify(s)), { numRuns: 2000 });
  });

  it("is deterministic", () => {
    fc.assert(fc.property(anyText, (s) => slugify(s) === slugify(s) && slugifyOrFallback(s) === slugifyOrFallback(s)), {
      numRuns: 1000,
    });
  });

  it("slugifyOrFallback is never empty and always a valid slug", () => {
    fc.assert(
      fc.property(anyText, fc.string({ maxLength: 10 }), (s, fb) => {
        const out = slugifyOrFallback(s, fb);
        return out.length > 0 && SLUG.test(out);
      }),
      { numRuns: 2000 },
    );
  });
});
