/**
 * The coloured box a claim (claims.ts) and an exercise check (exercises.ts) show: a bar in the
 * verdict's colour, a bold head, the text, and an optional second line in grey.
 */

/** The HTML of a box; `head`, `body` and `detail` are HTML already escaped by the caller. */
export function boxHtml(box: { colour: string; head: string; body: string; detail?: string; attributes?: string }): string {
  const attributes = box.attributes ? ` ${box.attributes}` : '';
  return `<div${attributes} style="border-left:4px solid ${box.colour};padding:4px 8px;margin:4px 0;` +
    `font-family:sans-serif;font-size:13px"><b style="color:${box.colour}">${box.head}</b> — ${box.body}` +
    (box.detail ? `<div style="color:#555;font-size:12px">${box.detail}</div>` : '') + '</div>';
}
