/**
 * A centred alert with an icon (cc-backend's `message.tmpl`): search
 * results without a match, errors of page loads.
 *
 * @module
 */
import type { AuthUser } from "../server/auth/auth_user.ts";
import { renderPage } from "../server/render/render_page.tsx";
import type { ClusterNav } from "./layout/nav_model.ts";

/** Alert colours and their icons. */
export type MessageType = "info" | "warning" | "danger";

const ICONS: Record<MessageType, string> = {
  info: "bi-info-circle-fill",
  warning: "bi-question-circle-fill",
  danger: "bi-exclamation-circle-fill",
};

/** Props of {@link MessagePage}. */
export interface MessageProps {
  type: MessageType;
  message: string;
}

/** The alert. */
export function MessagePage(props: MessageProps) {
  return (
    <div class="row justify-content-center mt-4">
      <div class="col-12 col-md-8 col-lg-6">
        <div class={`alert alert-${props.type} d-flex align-items-center gap-2`} role="alert">
          <i class={`bi ${ICONS[props.type]} fs-4`} aria-hidden="true"></i>
          <div>{props.message}</div>
        </div>
      </div>
    </div>
  );
}

/** Options of {@link renderMessagePage}. */
export interface MessagePageOptions extends MessageProps {
  title: string;
  /** Signed-in user (full navbar) if any. */
  user?: AuthUser;
  path?: string;
  clusters?: ClusterNav[];
}

/** A complete message page. */
export function renderMessagePage(options: MessagePageOptions): string {
  return renderPage(<MessagePage type={options.type} message={options.message} />, {
    title: options.title,
    user: options.user,
    path: options.path,
    clusters: options.clusters,
  });
}
