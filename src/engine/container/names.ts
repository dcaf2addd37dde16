// Container names: Docker's `adjective_surname` style for unnamed containers, and its name rule.
// The word lists are our own (scientists and engineers), in the spirit of Docker's generator.

const ADJECTIVES = [
  'admiring', 'agitated', 'amazing', 'angry', 'awesome', 'blissful', 'bold', 'brave', 'busy', 'charming',
  'clever', 'cool', 'compassionate', 'confident', 'crazy', 'dazzling', 'determined', 'eager', 'ecstatic',
  'elastic', 'elegant', 'epic', 'exciting', 'fervent', 'festive', 'focused', 'friendly', 'frosty', 'gallant',
  'gifted', 'goofy', 'gracious', 'happy', 'hardcore', 'heuristic', 'hopeful', 'hungry', 'infallible',
  'inspiring', 'jolly', 'jovial', 'keen', 'kind', 'laughing', 'loving', 'lucid', 'magical', 'modest',
  'musing', 'mystifying', 'naughty', 'nervous', 'nice', 'nifty', 'nostalgic', 'objective', 'optimistic',
  'peaceful', 'pensive', 'practical', 'priceless', 'quirky', 'quizzical', 'relaxed', 'reverent', 'romantic',
  'sad', 'serene', 'sharp', 'silly', 'sleepy', 'stoic', 'strange', 'stupefied', 'suspicious', 'sweet',
  'tender', 'thirsty', 'trusting', 'upbeat', 'vibrant', 'vigilant', 'vigorous', 'wizardly', 'wonderful',
  'xenodochial', 'youthful', 'zealous', 'zen',
];

const SURNAMES = [
  'agnesi', 'albattani', 'allen', 'archimedes', 'babbage', 'banach', 'bardeen', 'bartik', 'bell', 'bhabha',
  'bohr', 'booth', 'borg', 'bose', 'brahmagupta', 'brattain', 'cannon', 'carson', 'cerf', 'chandrasekhar',
  'chebyshev', 'curie', 'darwin', 'dijkstra', 'dirac', 'einstein', 'euclid', 'euler', 'faraday', 'fermat',
  'fermi', 'feynman', 'galileo', 'gauss', 'germain', 'goldberg', 'goodall', 'hamilton', 'hawking',
  'heisenberg', 'hertz', 'hodgkin', 'hopper', 'hypatia', 'jepsen', 'johnson', 'kapitsa', 'keldysh',
  'kepler', 'knuth', 'kolmogorov', 'kovalevskaya', 'lamarr', 'lebedev', 'leavitt', 'lovelace', 'lumiere',
  'lyapunov', 'markov', 'maxwell', 'meitner', 'mendel', 'mendeleev', 'mirzakhani', 'morse', 'newton',
  'nobel', 'noether', 'pascal', 'pasteur', 'pavlov', 'perlman', 'planck', 'poincare', 'ptolemy', 'raman',
  'ramanujan', 'ritchie', 'shannon', 'sinoussi', 'sutherland', 'tesla', 'thompson', 'torvalds', 'turing',
  'volhard', 'wiles', 'wright', 'yalow', 'zhukovsky', 'zuse',
];

/** Docker's RestrictedNamePattern. */
export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
export const NAME_CHARS = '[a-zA-Z0-9][a-zA-Z0-9_.-]';

export function randomName(random: () => number, retry = 0): string {
  const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)]!;
  const name = `${pick(ADJECTIVES)}_${pick(SURNAMES)}`;
  return retry > 0 ? name + Math.floor(random() * 10) : name;
}
