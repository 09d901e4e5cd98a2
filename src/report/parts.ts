// Report: long reports as pieces of text, written one after the other instead of joined into one string first.

/** Lines per piece: a piece stays small (tens of kilobytes) whatever the report's size. */
const LINES_PER_PART = 1000;

/**
 * Collects a report's lines into pieces of text, each line ended by a line break. Lines are joined into a piece as
 * soon as a piece's worth has come, so a long report never holds hundreds of thousands of short strings at once.
 */
export class LineParts {
  private lines: string[] = [];
  private readonly done: string[] = [];

  push(...lines: string[]): void {
    for (const line of lines) this.lines.push(line);
    if (this.lines.length >= LINES_PER_PART) this.flush();
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    this.lines.push(''); // joined, the piece ends with a line break
    this.done.push(this.lines.join('\n'));
    this.lines = [];
  }

  /** The pieces, in order; the sink is not used after. */
  parts(): string[] {
    this.flush();
    return this.done;
  }
}
