/**
 * The DynamoDB expression engine: parses and validates condition, filter, key
 * condition, projection and update expressions (and their legacy parameter forms),
 * and evaluates them over items. Pure code: no HTTP, no storage.
 */
export type {
  AttributeValue, Item, ExpressionContext, CompiledExpressions, ConditionNode, DocumentPath, Operand,
  UpdateActions, SetAction, ValueAction, KeyCondition, ExpressionInput, KeySchema, LegacyCondition,
  LegacyAttributeUpdate, LooseAttributeValue, CompareOp, AttributeTypeName,
} from './types.js';
export { compileExpressions, clearExpressionCache } from './compile.js';
export { evaluateCondition, resolvePath } from './evaluate.js';
export { applyUpdate } from './update.js';
export { project } from './project.js';
export { compareValues, valuesEqual, itemSize, valueSize, typeOf, compareStrings } from './values.js';
export { canonicalNumber, parseDecimal, checkDecimal, formatDecimal, compareNumberText } from './number.js';
export { isReservedWord } from './reserved-words.js';
export {
  conditionFromExpected, conditionFromFilter, keyConditionFromKeyConditions, updateFromAttributeUpdates,
  projectionFromAttributesToGet,
} from './legacy.js';
export { conditionAttributeNames } from './attributes.js';
