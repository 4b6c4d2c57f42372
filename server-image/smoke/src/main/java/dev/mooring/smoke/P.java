package dev.mooring.smoke; class P {}
