/**
 * Dialogs and drawers open and close without Blueprint's slide and fade. People who open them
 * all day wait for nothing, and Blueprint hands focus back to the opener only when the close
 * transition ends: during its 300 ms a click elsewhere (a queue row) was undone, and a following
 * Ctrl+A selected the page. No CSS is defined for this transition name, so nothing animates.
 */
export const NO_TRANSITION = { transitionName: 'ld-instant', transitionDuration: 0 } as const;
