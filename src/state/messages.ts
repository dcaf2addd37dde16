// The page's own words in each language. Docker's texts (states, "Up 2 minutes", ports) stay as
// the engine prints them: they must read the same as `docker ps` in the terminal.
export type Language = 'en' | 'ru';
export const LANGUAGES: readonly Language[] = ['en', 'ru'];

const en = {
  'language.label': 'Language',
  'terminal.new': 'New terminal',
  'terminal.close': 'Close terminal',
  'terminal.tab': 'Shell {n}',
  'terminal.exited': 'shell exited with code {code}',
  'containers.title': 'Containers',
  'containers.empty': 'No containers yet. Try docker run -d --name web nginx in the terminal.',
  'containers.name': 'Name',
  'containers.image': 'Image',
  'containers.state': 'State',
  'containers.ports': 'Ports',
  'containers.status': 'Status',
  'action.start': 'Start',
  'action.stop': 'Stop',
  'action.restart': 'Restart',
  'action.pause': 'Pause',
  'action.unpause': 'Resume',
  'action.remove': 'Remove',
  'images.title': 'Images',
  'images.empty': 'No images yet. docker pull or docker run fetches them.',
  'images.tag': 'Repository:tag',
  'images.id': 'Image ID',
  'images.size': 'Size',
  'images.created': 'Created',
  'error.dismiss': 'Dismiss',
  'status.starting': 'starting the engine…',
  'status.booting': 'booting the guest…',
  'status.ready': 'guest ready',
  'status.failed': 'guest failed to start: {error}',
  'status.cold': 'cold boot in {ms} ms',
  'status.snapshot': 'restored in {ms} ms',
  'status.kernel': 'Linux {kernel}',
  'status.containers': 'containers: {running} running / {total} total',
  'status.locked': 'open in another tab',
  'status.rebooting': 'the guest stopped responding: rebooting…',
  'status.rebooted': 'rebooted after a crash; containers and images kept',
  'status.storage': 'storage: {used} / {quota}',
  'status.persisted': 'Storage is persistent: the browser will not evict it.',
  'status.notPersisted': 'Storage is not persistent: the browser may evict it when space runs low.',
  'boot.preparing': 'Starting Slipway…',
  'boot.downloading': 'Downloading the guest: {loaded} of {total}',
  'boot.booting': 'Booting Linux…',
  'boot.restoring': 'Restoring the saved guest…',
  'lock.message': 'Slipway is open in another tab. Only one tab can run the engine at a time, as they share its storage.',
  'lock.takeOver': 'Use Slipway here',
  'lock.waiting': 'Waiting for the other tab to close…',
} as const;

export type MessageKey = keyof typeof en;

const ru: Record<MessageKey, string> = {
  'language.label': 'Язык',
  'terminal.new': 'Новый терминал',
  'terminal.close': 'Закрыть терминал',
  'terminal.tab': 'Оболочка {n}',
  'terminal.exited': 'оболочка завершилась с кодом {code}',
  'containers.title': 'Контейнеры',
  'containers.empty': 'Контейнеров пока нет. Попробуйте docker run -d --name web nginx в терминале.',
  'containers.name': 'Имя',
  'containers.image': 'Образ',
  'containers.state': 'Состояние',
  'containers.ports': 'Порты',
  'containers.status': 'Статус',
  'action.start': 'Запустить',
  'action.stop': 'Остановить',
  'action.restart': 'Перезапустить',
  'action.pause': 'Приостановить',
  'action.unpause': 'Возобновить',
  'action.remove': 'Удалить',
  'images.title': 'Образы',
  'images.empty': 'Образов пока нет. Их загружают docker pull и docker run.',
  'images.tag': 'Репозиторий:тег',
  'images.id': 'ID образа',
  'images.size': 'Размер',
  'images.created': 'Создан',
  'error.dismiss': 'Закрыть',
  'status.starting': 'запуск движка…',
  'status.booting': 'загрузка гостевой системы…',
  'status.ready': 'гостевая система готова',
  'status.failed': 'гостевая система не запустилась: {error}',
  'status.cold': 'холодная загрузка за {ms} мс',
  'status.snapshot': 'восстановлена за {ms} мс',
  'status.kernel': 'Linux {kernel}',
  'status.containers': 'контейнеры: {running} запущено / {total} всего',
  'status.locked': 'открыт в другой вкладке',
  'status.rebooting': 'гостевая система не отвечает: перезагрузка…',
  'status.rebooted': 'перезагружена после сбоя; контейнеры и образы сохранены',
  'status.storage': 'хранилище: {used} / {quota}',
  'status.persisted': 'Хранилище постоянное: браузер не удалит его.',
  'status.notPersisted': 'Хранилище не постоянное: браузер может удалить его при нехватке места.',
  'boot.preparing': 'Запуск Slipway…',
  'boot.downloading': 'Загрузка гостевой системы: {loaded} из {total}',
  'boot.booting': 'Загрузка Linux…',
  'boot.restoring': 'Восстановление сохранённой гостевой системы…',
  'lock.message': 'Slipway открыт в другой вкладке. Движок может работать только в одной вкладке: у них общее хранилище.',
  'lock.takeOver': 'Использовать Slipway здесь',
  'lock.waiting': 'Ожидание закрытия другой вкладки…',
};

const catalogues: Record<Language, Record<MessageKey, string>> = { en, ru };

export type MessageParams = Record<string, string | number>;

/** The message in `lang` with `{name}` placeholders filled; unknown placeholders stay visible. */
export function translate(lang: Language, key: MessageKey, params: MessageParams = {}): string {
  return catalogues[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The first supported language among the browser's preferences (`navigator.languages`). */
export function preferredLanguage(preferences: readonly string[]): Language {
  for (const tag of preferences) {
    const primary = tag.toLowerCase().split('-')[0];
    const found = LANGUAGES.find((l) => l === primary);
    if (found) return found;
  }
  return 'en';
}
