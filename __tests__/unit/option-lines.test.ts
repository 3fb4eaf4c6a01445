import { describe, expect, it } from '@jest/globals'
import { splitOptionLines, splitWords } from '../../src/inputs/option-lines.js'

describe('option lines', () => {
  it.each([
    ['--a b', ['--a', 'b']],
    ['  --a   b  ', ['--a', 'b']],
    ['--a="b c"', ['--a=b c']],
    ['--a \'b "c" $HOME\'', ['--a', 'b "c" $HOME']],
    ['--a "b \\"c\\" \\$HOME"', ['--a', 'b "c" $HOME']],
    ['--a b\\ c', ['--a', 'b c']],
    ['--a ""', ['--a', '']],
    ['--a $(reboot) `id` ; rm -rf /', ['--a', '$(reboot)', '`id`', ';', 'rm', '-rf', '/']]
  ])('splits %j', (line, words) => {
    expect(splitWords(line)).toEqual(words)
  })

  it('rejects what a shell could not parse, naming the input and the line', () => {
    expect(() => splitOptionLines('--ok\n--bad "x', 'worker-opts')).toThrow('input `worker-opts`, line 2 (--bad "x): unterminated double quote')
    expect(() => splitOptionLines('--bad \\', 'driver-opts')).toThrow('a line cannot end with a backslash')
  })

  it('keeps the order of lines and skips blank and comment lines', () => {
    expect(splitOptionLines('--a 1\n\n# note\n--b 2\r\n--c', 'x')).toEqual(['--a', '1', '--b', '2', '--c'])
  })
})
