"""zombies"""
