/**
 * Splits option text, one option per line, into argv words the way a POSIX shell splits
 * words (quotes and backslashes), without running a shell: no expansion, no globbing.
 */
export function splitOptionLines(text: string, inputName: string): string[] {
  const words: string[] = []
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return
    try {
      words.push(...splitWords(line))
    } catch (error) {
      throw new Error(`input \`${inputName}\`, line ${index + 1} (${line.trim()}): ${(error as Error).message}`, { cause: error })
    }
  })
  return words
}

export function splitWords(line: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quote: '"' | "'" | undefined
  for (let i = 0; i < line.length; i++) {
    const char = line[i]
    if (quote === "'") {
      if (char === "'") quote = undefined
      else word += char
    } else if (quote === '"') {
      if (char === '"') quote = undefined
      else if (char === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) word += line[++i]
      else word += char
    } else if (char === "'" || char === '"') {
      quote = char
      inWord = true
    } else if (char === '\\') {
      if (i + 1 >= line.length) throw new Error('a line cannot end with a backslash')
      word += line[++i]
      inWord = true
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += char
      inWord = true
    }
  }
  if (quote) throw new Error(`unterminated ${quote === '"' ? 'double' : 'single'} quote`)
  if (inWord) words.push(word)
  return words
}
