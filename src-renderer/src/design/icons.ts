/**
 * The window's one icon set (Lucide), named here once so every view draws the same picture for
 * the same idea. Icons are decoration: Lucide marks them aria-hidden, and every control that shows
 * one also has a name in words.
 */
export {
  AppWindow as WindowIcon,
  ChevronDown as ExpandedIcon,
  ChevronRight as CollapsedIcon,
  CircleAlert as AlertIcon,
  Command as CommandIcon,
  Check as CheckIcon,
  Copy as CopyIcon,
  CornerDownLeft as EnterIcon,
  ExternalLink as ConsoleIcon,
  FilePlus as AddProfileIcon,
  History as RecentIcon,
  KeyRound as KeyIcon,
  Layers as SlotIcon,
  Lock as LockedIcon,
  LogIn as SignInIcon,
  Pin as PinIcon,
  PinOff as UnpinIcon,
  RotateCw as RetryIcon,
  Search as SearchIcon,
  ServerOff as ServerOffIcon,
  ShieldCheck as MfaIcon,
  Star as FavouriteIcon,
  Unplug as UnloadIcon,
  X as CloseIcon,
  Zap as SwitchIcon,
} from 'lucide-react';
