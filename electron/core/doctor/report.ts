/** The report's Markdown lives with the catalogue it is written from (shared/messages), in English here. */
export { doctorMarkdown } from '../../../shared/messages/doctor-text';
