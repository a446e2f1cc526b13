"""Regional workshops: themed boards of gaps and good practices posted from phones, clustered
and voted on, drafted into recommendations that become measures."""
