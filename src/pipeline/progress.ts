// Progress on a terminal: log lines scroll above one sticky bar that shows which stage of how many is running.
// Only used when stderr is a TTY and --quiet is not given; schedulers get no escape codes.
export interface TerminalProgress {
  log(message: string): void;
  stage(name: string, index: number, total: number): void;
  finish(): void;
}

const BAR_WIDTH = 24;

export function terminalProgress(stream: NodeJS.WriteStream): TerminalProgress {
  let bar = '';
  const clear = () => {
    if (bar !== '') stream.write('\r\x1b[2K');
  };
  const draw = () => {
    if (bar !== '') stream.write(bar);
  };
  return {
    log(message) {
      clear();
      stream.write(`${message}\n`);
      draw();
    },
    stage(name, index, total) {
      const filled = Math.round((index / total) * BAR_WIDTH);
      clear();
      bar = `recon ▕${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}▏ ${index + 1}/${total} ${name}`;
      draw();
    },
    finish() {
      clear();
      bar = '';
    },
  };
}
