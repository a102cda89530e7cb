// The fonts of exported figures (dejavu-fonts-ttf, the files the server's PNG and PDF use),
// loaded into the page on the first styled export: its ECharts measures and draws with the same
// glyphs, so a figure laid out here fits when the server turns it into a PDF.
import sans from 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf?url';
import sansBold from 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf?url';
import serif from 'dejavu-fonts-ttf/ttf/DejaVuSerif.ttf?url';
import serifBold from 'dejavu-fonts-ttf/ttf/DejaVuSerif-Bold.ttf?url';

let loading: Promise<void> | null = null;

export function loadBundledFonts(): Promise<void> {
  loading ??= Promise.all(
    [
      ['DejaVu Sans', sans, 'normal'],
      ['DejaVu Sans', sansBold, 'bold'],
      ['DejaVu Serif', serif, 'normal'],
      ['DejaVu Serif', serifBold, 'bold'],
    ].map(async ([family, url, weight]) => {
      const face = new FontFace(family!, `url(${url})`, { weight: weight! });
      document.fonts.add(await face.load());
    }),
  ).then(() => undefined);
  return loading;
}
