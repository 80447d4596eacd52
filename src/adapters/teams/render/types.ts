// The minimal Adaptive Card 1.5 subset we emit (validated against the 1.5 JSON schema in tests).
export type ActionStyle = 'default' | 'positive' | 'destructive';

export type SubmitAction = {
  type: 'Action.Submit';
  title?: string;
  data?: Record<string, unknown>;
  style?: ActionStyle;
};

export type ExecuteAction = {
  type: 'Action.Execute';
  title?: string;
  verb: string;
  data?: Record<string, unknown>;
  style?: ActionStyle;
  associatedInputs?: 'auto' | 'none';
  fallback?: SubmitAction;
};

export type ShowCardAction = {
  type: 'Action.ShowCard';
  title: string;
  style?: ActionStyle;
  card: NestedCard;
};

export type CardAction = ExecuteAction | SubmitAction | ShowCardAction;

type ElementBase = { id?: string; separator?: boolean; spacing?: 'None' | 'Small' | 'Default' | 'Medium' | 'Large' };

export type TextBlock = ElementBase & {
  type: 'TextBlock';
  text: string;
  wrap?: boolean;
  size?: 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge';
  weight?: 'Lighter' | 'Default' | 'Bolder';
  isSubtle?: boolean;
  color?: 'Default' | 'Dark' | 'Light' | 'Accent' | 'Good' | 'Warning' | 'Attention';
};

export type FactSet = ElementBase & { type: 'FactSet'; facts: { title: string; value: string }[] };

export type Container = ElementBase & {
  type: 'Container';
  style?: 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
  items: CardElement[];
};

export type Image = ElementBase & { type: 'Image'; url: string; altText?: string; size?: 'Auto' | 'Stretch' };

export type ActionSet = ElementBase & { type: 'ActionSet'; actions: CardAction[] };

type InputBase = ElementBase & { id: string; label?: string; isRequired?: boolean; errorMessage?: string };

export type InputText = InputBase & {
  type: 'Input.Text';
  placeholder?: string;
  isMultiline?: boolean;
  maxLength?: number;
  value?: string;
};

export type InputChoiceSet = InputBase & {
  type: 'Input.ChoiceSet';
  choices: { title: string; value: string }[];
  style?: 'compact' | 'expanded';
  placeholder?: string;
  value?: string;
};

export type InputToggle = InputBase & {
  type: 'Input.Toggle';
  title: string;
  value?: string;
  valueOn?: string;
  valueOff?: string;
};

export type InputDate = InputBase & { type: 'Input.Date'; value?: string; min?: string; max?: string };

export type CardInput = InputText | InputChoiceSet | InputToggle | InputDate;

export type CardElement = TextBlock | FactSet | Container | Image | ActionSet | CardInput;

export type Refresh = { action: ExecuteAction; userIds?: string[] };

/** A card inside Action.ShowCard: no version, no $schema. */
export type NestedCard = { type: 'AdaptiveCard'; body: CardElement[]; actions?: CardAction[] };

export type AdaptiveCard = {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  fallbackText?: string;
  refresh?: Refresh;
  body: CardElement[];
  actions?: CardAction[];
  /** Teams' host extension (outside the Adaptive Card schema): the <at> mentions in the body. */
  msteams?: { entities: MentionEntity[] };
};

export type MentionEntity = { type: 'mention'; text: string; mentioned: { id: string; name: string } };
