/** Docker-style random names (`adjective_surname`), for an agent created without a name. */
const ADJECTIVES = [
  'admiring', 'agile', 'amazing', 'bold', 'brave', 'bright', 'calm', 'clever', 'cool', 'curious',
  'dazzling', 'determined', 'eager', 'elegant', 'epic', 'fervent', 'focused', 'friendly', 'gallant', 'gentle',
  'happy', 'hopeful', 'inspiring', 'jolly', 'keen', 'kind', 'lucid', 'modest', 'nifty', 'nimble',
  'optimistic', 'patient', 'peaceful', 'practical', 'quirky', 'relaxed', 'serene', 'sharp', 'stoic', 'sweet',
  'tender', 'trusting', 'upbeat', 'vibrant', 'vigilant', 'wizardly', 'wonderful', 'youthful', 'zealous', 'zen',
]
const SURNAMES = [
  'agnesi', 'babbage', 'bell', 'booth', 'curie', 'darwin', 'dijkstra', 'einstein', 'euclid', 'euler',
  'faraday', 'fermat', 'feynman', 'franklin', 'galileo', 'gauss', 'goldberg', 'goodall', 'hamilton', 'hopper',
  'hypatia', 'johnson', 'kalam', 'keller', 'knuth', 'lamarr', 'lovelace', 'mayer', 'mcclintock', 'meitner',
  'mirzakhani', 'morse', 'newton', 'noether', 'pascal', 'pasteur', 'perlman', 'poincare', 'ramanujan', 'ritchie',
  'shannon', 'sinoussi', 'tesla', 'thompson', 'torvalds', 'turing', 'volhard', 'wilson', 'wozniak', 'yonath',
]

export function randomAgentName(random: () => number = Math.random): string {
  const pick = (list: string[]) => list[Math.floor(random() * list.length)]!
  return `${pick(ADJECTIVES)}_${pick(SURNAMES)}`
}
