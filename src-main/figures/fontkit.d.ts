declare module 'fontkit' {
  /** The part of fontkit's Font that measures text. */
  export interface Font {
    readonly unitsPerEm: number;
    layout(text: string): { readonly advanceWidth: number };
  }
  export function openSync(path: string): Font;
}
