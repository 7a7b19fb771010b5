/**
 * The syntax tree of the rule expression language. Every node keeps the
 * offset of the token that produced it, so evaluation errors can point there.
 *
 * @module
 */

/** Binary operators, after keyword aliases (`and`, `or`) are mapped to symbols. */
export type BinaryOperator =
  | "||"
  | "&&"
  | "??"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "**";

/** Unary operators (`not` is mapped to `!`). */
export type UnaryOperator = "!" | "-" | "+";

/** A node of the syntax tree. */
export type ExprNode =
  | { kind: "literal"; value: number | string | boolean | null; position: number }
  | { kind: "name"; name: string; position: number }
  | { kind: "member"; object: ExprNode; property: ExprNode; position: number }
  | { kind: "unary"; op: UnaryOperator; operand: ExprNode; position: number }
  | { kind: "binary"; op: BinaryOperator; left: ExprNode; right: ExprNode; position: number }
  | {
    kind: "conditional";
    test: ExprNode;
    then: ExprNode;
    otherwise: ExprNode;
    position: number;
  };
