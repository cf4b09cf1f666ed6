/** Strings of the search screens; `ru` and `en` must have the same keys (checked by i18n.test.ts). */
export const ru = {
  title: 'Поиск',
  resultsFor: 'Результаты по запросу «{{q}}»',
  filterLabel: 'Что искать',
  all: 'Всё',
  types: { ticket: 'Обращения', message: 'Сообщения', contact: 'Контакты' },
  typeOne: { ticket: 'Обращение', message: 'Сообщение', contact: 'Контакт' },
  messageIn: 'Сообщение в обращении',
  hintSelect: 'выбрать',
  hintOpen: 'открыть',
  noQuery: {
    title: 'Что ищем?',
    text: 'Ищите по темам обращений, тексту сообщений и контактам — на русском и английском. Нажмите / чтобы перейти к поиску.',
  },
  noResults: {
    title: 'Ничего не нашлось по запросу «{{q}}»',
    text: 'Попробуйте другие слова или часть слова.',
    everywhere: 'Искать везде',
  },
};

export const en: typeof ru = {
  title: 'Search',
  resultsFor: 'Results for “{{q}}”',
  filterLabel: 'Search in',
  all: 'All',
  types: { ticket: 'Tickets', message: 'Messages', contact: 'Contacts' },
  typeOne: { ticket: 'Ticket', message: 'Message', contact: 'Contact' },
  messageIn: 'Message in ticket',
  hintSelect: 'select',
  hintOpen: 'open',
  noQuery: {
    title: 'What are you looking for?',
    text: 'Search ticket subjects, message text and contacts, in Russian and English. Press / to jump to search.',
  },
  noResults: {
    title: 'Nothing found for “{{q}}”',
    text: 'Try other words or part of a word.',
    everywhere: 'Search everywhere',
  },
};
