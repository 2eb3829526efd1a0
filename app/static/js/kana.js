// Romaji becomes kana as the trainee types, for machines without a Japanese IME.
// A real IME's composition is left alone; a katakana switch and an off switch exist.
"use strict";
(() => {
  const V = { a: "あ", i: "い", u: "う", e: "え", o: "お" };
  const ROWS = { k: "かきくけこ", g: "がぎぐげご", s: "さしすせそ", z: "ざじずぜぞ", t: "たちつてと",
    d: "だぢづでど", n: "なにぬねの", h: "はひふへほ", b: "ばびぶべぼ", p: "ぱぴぷぺぽ", m: "まみむめも",
    r: "らりるれろ" };
  const T = Object.assign({}, V);
  for (const [c, row] of Object.entries(ROWS)) {
    "aiueo".split("").forEach((v, i) => { T[c + v] = row[i]; });
    T[c + "ya"] = row[1] + "ゃ"; T[c + "yu"] = row[1] + "ゅ"; T[c + "yo"] = row[1] + "ょ";
  }
  Object.assign(T, { ya: "や", yu: "ゆ", yo: "よ", wa: "わ", wo: "を", shi: "し", chi: "ち", tsu: "つ",
    fu: "ふ", ji: "じ", sha: "しゃ", shu: "しゅ", sho: "しょ", cha: "ちゃ", chu: "ちゅ", cho: "ちょ",
    ja: "じゃ", ju: "じゅ", jo: "じょ", si: "し", ti: "ち", tu: "つ", hu: "ふ", zi: "じ", fa: "ふぁ",
    fi: "ふぃ", fe: "ふぇ", fo: "ふぉ", thi: "てぃ", dhi: "でぃ", xtu: "っ", ltu: "っ", "-": "ー",
    nn: "ん", "n'": "ん", xa: "ぁ", xi: "ぃ", xu: "ぅ", xe: "ぇ", xo: "ぉ", she: "しぇ", che: "ちぇ",
    je: "じぇ", wi: "うぃ", we: "うぇ", vu: "ゔ" });
  const LONGEST = 3;

  function toKana(text) {
    // Convert every complete romaji syllable; keep an unfinished tail (k, sh, n) as typed.
    let out = "";
    let i = 0;
    const s = text;
    while (i < s.length) {
      const c = s[i].toLowerCase();
      const next = (s[i + 1] || "").toLowerCase();
      if (c === "n" && next && !"aiueoyn'".includes(next)) { out += "ん"; i += 1; continue; }
      if (c === next && /[bcdfghjkmprstvwxz]/.test(c)) { out += "っ"; i += 1; continue; }
      if (c === "t" && next === "c") { out += "っ"; i += 1; continue; }
      let matched = false;
      for (let size = LONGEST; size > 0; size -= 1) {
        const piece = s.slice(i, i + size).toLowerCase();
        if (piece.length === size && T[piece]) { out += T[piece]; i += size; matched = true; break; }
      }
      if (!matched) { out += s[i]; i += 1; }
    }
    return out;
  }

  function toKatakana(text) {
    return text.replace(/[\u3041-\u3096]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60));
  }

  function attach(input) {
    let composing = false;
    input.addEventListener("compositionstart", () => { composing = true; });
    input.addEventListener("compositionend", () => { composing = false; });
    input.addEventListener("input", () => {
      if (composing || input.dataset.kana === "off") return;
      const before = input.value;
      let after = toKana(before);
      if (input.dataset.kana === "katakana") after = toKatakana(after);
      if (after !== before) {
        const fromEnd = before.length - (input.selectionEnd ?? before.length);
        input.value = after;
        const caret = Math.max(0, after.length - fromEnd);
        input.setSelectionRange(caret, caret);
      }
    });
  }

  // When the answer is sent, a last n is ん (hon → ほん).
  function finish(text) { return toKana(text).replace(/n$/i, "ん"); }

  window.HashiKana = { toKana, toKatakana, attach, finish };
})();
