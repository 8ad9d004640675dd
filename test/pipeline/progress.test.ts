import { describe, expect, it } from 'vitest';
import { terminalProgress } from '../../src/pipeline/progress.ts';

describe('terminal progress', () => {
  it('keeps one bar below the scrolling log lines and clears it at the end', () => {
    const writes: string[] = [];
    const stream = { write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream;
    const progress = terminalProgress(stream);
    progress.log('before any stage');
    progress.stage('recompute', 4, 8);
    progress.log('recompute: done');
    progress.finish();
    expect(writes).toEqual([
      'before any stage\n', // no bar yet: nothing to clear or redraw
      `recon ▕${'█'.repeat(12)}${'░'.repeat(12)}▏ 5/8 recompute`,
      '\r\x1b[2K',
      'recompute: done\n',
      `recon ▕${'█'.repeat(12)}${'░'.repeat(12)}▏ 5/8 recompute`,
      '\r\x1b[2K',
    ]);
  });
});
