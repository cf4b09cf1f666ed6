/**
 * Message HTML into DOM nodes. The server already sanitizes it; this is the second lock: parsing
 * happens in an inert document (scripts never run there), and anything that could run or load
 * from elsewhere is dropped before the nodes join the page.
 */
const DROP_TAGS =
  'script,style,iframe,frame,frameset,object,embed,link,meta,base,form,input,button,textarea,select,svg,math,template';
const SAFE_URL = /^(https?:|mailto:|tel:|#|\/(?!\/))/i;
const SAFE_IMAGE = /^(data:image\/(png|jpeg|gif|webp);|\/(?!\/))/i;

/** Safe nodes for `html`; remote images (which the CSP blocks anyway) become their alt text. */
export const toSafeNodes = (html: string, imageLabel: (alt: string) => string): Node[] => {
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${html}`, 'text/html');
  for (const el of Array.from(doc.body.querySelectorAll(DROP_TAGS))) el.remove();
  for (const el of Array.from(doc.body.querySelectorAll('*'))) {
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on') || name === 'style' || name === 'srcset' || name === 'formaction') {
        el.removeAttribute(attr.name);
      }
    }
    if (el instanceof HTMLAnchorElement) {
      const href = el.getAttribute('href') ?? '';
      if (href && !SAFE_URL.test(href.trim())) el.removeAttribute('href');
      el.setAttribute('target', '_blank');
      el.setAttribute('rel', 'noopener noreferrer nofollow');
    }
    if (el instanceof HTMLImageElement) {
      const src = el.getAttribute('src') ?? '';
      if (!SAFE_IMAGE.test(src.trim())) {
        const alt = el.getAttribute('alt')?.trim();
        el.replaceWith(doc.createTextNode(imageLabel(alt || '…')));
      }
    }
  }
  return Array.from(doc.body.childNodes).map((node) => document.importNode(node, true));
};
