// Output formatting of the engine CLI: Go templates, Docker's tabwriter and table formatters.
export { parseTemplate, Template, TemplateError, type ExecuteOptions } from './template.ts';
export {
  goFloat, GoFloat, goFunc, goMap, goStruct, isTrue, typedNil, typeName,
  type GoFunc, type GoParamType,
} from './template/values.ts';
export { formatValue, goQuote, sprint, sprintf, sprintln } from './template/gofmt.ts';
export { dockerFunctions, goBuiltins, headerFunctions } from './template/builtins.ts';
export { goJSON, goJSONString } from './gojson.ts';
export { DOCKER_TABLE, Tabwriter, tabwrite, type TabwriterOptions } from './tabwriter.ts';
export { runeWidth, stringWidth } from './runewidth.ts';
export {
  checkFormatFor, DEFAULT_QUIET_FORMAT, ellipsis, finalFormat, FormatError, headerContext, isJSONFormat, isTableFormat,
  JSON_FORMAT_KEY, RAW_FORMAT_KEY, renderFormat, rowContext, TABLE_FORMAT_KEY, TEMPLATE_ERROR_EXIT_CODE, truncateID,
} from './formatter.ts';
export {
  bytesSize, containerStatusText, goTimeString, humanAgo, humanDuration, humanSize, humanSizeWithPrecision,
  type ContainerStateFacts,
} from '../../lib/units.ts';
export { familiarName, parseNormalizedNamed, type NormalizedReference } from './reference.ts';
export {
  containerContext, containerFormat, containerFormatUsesSize, DEFAULT_CONTAINER_TABLE_FORMAT, displayablePorts,
  emptyContainerContext, formatContainers, type ContainerListOptions, type ContainerMount, type ContainerPort,
  type ContainerSummary,
} from './container.ts';
export { formatImages, imageFormat, type ImageListOptions, type ImageSummary } from './image.ts';
export { formatHistory, historyFormat, type HistoryItem, type HistoryOptions } from './history.ts';
export {
  formatNetworks, formatVolumes, goTimeStringISO, networkFormat, volumeFormat, type ListOptions, type NetworkSummary,
  type VolumeSummary,
} from './resources.ts';
export { DEFAULT_STATS_TABLE_FORMAT, formatStats, type StatsEntry, type StatsOptions } from './stats.ts';
export { eventTimestamp, formatEventLine, formatPorts, naturalLess, type EventMessage, type PortBinding } from './port-events.ts';
