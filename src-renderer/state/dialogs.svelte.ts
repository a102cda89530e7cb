/*
 * In-app dialogs instead of the native prompt, alert and confirm boxes, which Electron lacks.
 * `ask` and `confirmAction` return promises; <DialogHost> renders the open request.
 */
export interface DialogRequest {
  readonly title: string;
  readonly message?: string;
  /** With a value, the dialog has a text field (a name, tags, a path). */
  readonly value?: string;
  readonly confirmLabel: string;
  readonly danger?: boolean;
  resolve(result: string | null): void;
}

class Dialogs {
  current = $state<DialogRequest | null>(null);

  private open(request: Omit<DialogRequest, 'resolve'>): Promise<string | null> {
    this.current?.resolve(null);
    return new Promise((resolve) => {
      this.current = {
        ...request,
        resolve: (result) => {
          this.current = null;
          resolve(result);
        },
      };
    });
  }

  /** A text answer, or null when cancelled (Esc, Cancel). */
  ask(title: string, value: string, confirmLabel = 'OK'): Promise<string | null> {
    return this.open({ title, value, confirmLabel });
  }

  /** true when confirmed. */
  async confirmAction(
    title: string,
    message: string,
    confirmLabel: string,
    danger = true,
  ): Promise<boolean> {
    return (await this.open({ title, message, confirmLabel, danger })) !== null;
  }
}

export const dialogs = new Dialogs();
