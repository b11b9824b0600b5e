import type { Messages } from "../messages";

/** French. */
export const frFR: Messages = {
  welcome: "Bienvenue dans Boîte à blagues ! Voici une blague pour vous.",
  help:
    "Boîte à blagues joue de courts extraits audio amusants. Dites « joue une blague » pour en écouter une, " +
    "« suivant » pour une autre, ou « stop » quand vous en avez assez. Que voulez-vous faire ?",
  helpReprompt: "Dites « joue une blague » ou « stop ».",
  fallback:
    "Boîte à blagues ne peut pas vous aider pour cela. Dites « joue une blague » pour écouter un extrait, " +
    "ou « aide » pour savoir ce que vous pouvez faire.",
  fallbackReprompt: "Voulez-vous écouter une blague ?",
  emptyLibrary: "Désolé, il n'y a aucun extrait à jouer pour le moment. Veuillez réessayer plus tard.",
  clipNotFound: "Il n'y a pas d'extrait numéro {{number}}, alors en voici un au hasard.",
  loopUnsupported:
    "Boîte à blagues joue chaque extrait une seule fois, la lecture en boucle n'est donc pas disponible. " +
    "Dites « suivant » pour un autre extrait.",
  shuffleOn: "Boîte à blagues choisit toujours les extraits au hasard : ils sont déjà mélangés.",
  shuffleOff:
    "Boîte à blagues choisit toujours les extraits au hasard, et cela ne peut pas être désactivé. " +
    "Dites « suivant » pour un autre extrait.",
  error: "Désolé, un problème est survenu. Veuillez réessayer.",
};
