import { MessageBar, MessageBarBody } from "@fluentui/react-components";

/**
 * A message in the pane (errors announced as alerts). Apart from the pickers in `common.tsx`, so
 * the sign-in page loads without the dropdown and radio components.
 */
export function Notice({ intent, text }: { intent: "error" | "success" | "warning" | "info"; text: string | undefined }) {
  if (!text) return null;
  return (
    <MessageBar intent={intent} role={intent === "error" ? "alert" : "status"}>
      <MessageBarBody>{text}</MessageBarBody>
    </MessageBar>
  );
}
