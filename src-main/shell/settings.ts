import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

interface SettingsData {
  recentProjects: string[];
  window?: WindowBounds;
  theme?: 'light' | 'dark';
}

/**
 * Small persistent preferences (recent projects, window size and position), one JSON file, written
 * atomically.
 */
export class Settings {
  private data: SettingsData = { recentProjects: [] };

  constructor(
    private readonly file: string | null,
    private readonly onChange?: () => void,
  ) {
    if (!file) return;
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SettingsData>;
      this.data = {
        recentProjects: Array.isArray(parsed.recentProjects)
          ? parsed.recentProjects.filter((p) => typeof p === 'string').slice(0, 10)
          : [],
        ...(parsed.window ? { window: parsed.window } : {}),
        ...(parsed.theme ? { theme: parsed.theme } : {}),
      };
    } catch {
      // missing or unreadable: start fresh (never crash on a bad preferences file)
    }
  }

  get recentProjects(): string[] {
    return [...this.data.recentProjects];
  }

  addRecent(path: string): void {
    this.data.recentProjects = [path, ...this.data.recentProjects.filter((p) => p !== path)].slice(
      0,
      10,
    );
    this.save();
  }

  get window(): WindowBounds | undefined {
    return this.data.window;
  }

  set window(bounds: WindowBounds | undefined) {
    if (bounds) this.data.window = bounds;
    this.save();
  }

  private save(): void {
    this.onChange?.();
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.data, null, 2));
    renameSync(`${this.file}.tmp`, this.file);
  }
}
